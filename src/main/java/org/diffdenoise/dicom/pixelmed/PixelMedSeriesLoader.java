package org.diffdenoise.dicom.pixelmed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.api.ErrorText;
import org.diffdenoise.dicom.DicomException;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.MosaicLayout;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.dicom.SliceGeometry;
import org.diffdenoise.dicom.SliceOrder;
import org.diffdenoise.dicom.StoredEncoding;

/** Decodes every slice of a series to float modality values, in slice order. */
final class PixelMedSeriesLoader {

    /** One decoded 2-D slice before ordering. */
    private record Slice(SliceGeometry geometry, StoredEncoding encoding, PixelMedSourceHeaders.SourceFile source,
                         Object pixels, int offset) {
    }

    private PixelMedSeriesLoader() {
    }

    static DicomSeries load(SeriesRef ref) throws DicomException {
        Path firstFile = ref.files().isEmpty() ? null : ref.files().get(0);
        if (ref.unsupportedReason() != null) {
            throw new DicomException(firstFile, "cannot decode series " + ref.seriesInstanceUid() + ": "
                    + ref.unsupportedReason());
        }
        int w = ref.columns();
        int h = ref.rows();
        List<Slice> slices = new ArrayList<>();
        MosaicLayout mosaic = null;
        for (Path f : ref.files()) {
            MosaicLayout m = readFile(f, w, h, slices);
            if (f != firstFile && !java.util.Objects.equals(m, mosaic)) {
                throw new DicomException(f, mosaicInWords(m) + ", unlike " + firstFile.getFileName() + " ("
                        + mosaicInWords(mosaic) + ") in the same series");
            }
            mosaic = m;
        }
        int[] order = SliceOrder.order(slices.stream().map(Slice::geometry).toList());
        ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(w, h, slices.size());
        float[] out = img.update(null).getCurrentStorageArray();
        List<SliceGeometry> geometry = new ArrayList<>();
        List<StoredEncoding> encodings = new ArrayList<>();
        List<PixelMedSourceHeaders.SourceFile> sources = new ArrayList<>();
        int plane = w * h;
        for (int z = 0; z < order.length; z++) {
            Slice s = slices.get(order[z]);
            StoredEncoding e = s.encoding();
            int base = z * plane;
            if (s.pixels() instanceof short[] words) {
                for (int i = 0; i < plane; i++) {
                    out[base + i] = (float) e.toModality(e.storedFromRaw(words[s.offset() + i] & 0xFFFF));
                }
            } else {
                byte[] bytes = (byte[]) s.pixels();
                for (int i = 0; i < plane; i++) {
                    out[base + i] = (float) e.toModality(e.storedFromRaw(bytes[s.offset() + i] & 0xFF));
                }
            }
            geometry.add(s.geometry());
            encodings.add(e);
            sources.add(s.source());
        }
        return new DicomSeries(ref, img, geometry, encodings, new PixelMedSourceHeaders(sources), mosaic);
    }

    /** Modality values are processed as 32-bit floats: beyond this magnitude they would overflow on the way. */
    static final double MAX_MODALITY_MAGNITUDE = 1e30;

    /** Why the rescale puts modality values out of the range the denoiser works in, or null. */
    static String modalityRangeProblem(StoredEncoding e) {
        if (e.bitsStored() < 1 || e.bitsStored() > 32) return null;  // reported as inconsistent bits below
        double a = e.toModality(e.minStored()), b = e.toModality(e.maxStored());
        double worst = Math.max(Math.abs(a), Math.abs(b));
        if (Double.isFinite(worst) && worst <= MAX_MODALITY_MAGNITUDE) return null;
        return String.format(java.util.Locale.ROOT, "Rescale Slope %s and Intercept %s put modality values out of range "
                + "(up to %.3g in magnitude; at most %.0e can be processed): the header is damaged", e.rescaleSlope(),
                e.rescaleIntercept(), worst, MAX_MODALITY_MAGNITUDE);
    }

    /** A file read with its pixels decompressed, and the transfer syntax it was stored in. */
    record Decoded(PixelMedReader.Parsed parsed, String originalSyntax, boolean externallyDecoded) {
    }

    /**
     * Reads {@code f} with its pixel data decompressed (JPEG-LS / JPEG Extended through dcmtk). Every failure, an
     * Error from a codec or a stack overflow included, comes back as this file's DicomException, never the batch's.
     */
    static Decoded readDecoded(Path f) throws DicomException {
        Path decoded = null;
        String originalSyntax = null;
        try {
            originalSyntax = PixelMedReader.transferSyntax(f);
            if (ExternalDecoder.TOOLS.containsKey(originalSyntax)) {
                // JPEG-LS / JPEG Extended: dcmtk decompresses into a temporary file, PixelMed reads that
                decoded = ExternalDecoder.decompress(f, originalSyntax);
            }
            return new Decoded(PixelMedReader.readWithPixels(decoded != null ? decoded : f), originalSyntax, decoded != null);
        } catch (PixelMedReader.DamagedFileException e) {
            throw new DicomException(f, "damaged file: " + e.getMessage() + "; nothing was read from it", e);
        } catch (IOException | com.pixelmed.dicom.DicomException e) {
            throw new DicomException(f, "cannot decode pixel data: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // codecs (e.g. JPEG 2000) signal corrupt streams with unchecked exceptions
            throw new DicomException(f, "cannot decode pixel data (corrupt compressed stream?): "
                    + ErrorText.of(e), e);
        } catch (StackOverflowError e) {
            throw new DicomException(f, "nesting too deep to read");
        } catch (OutOfMemoryError e) {
            throw new DicomException(f, "too large to read into memory");
        } catch (Error e) {
            throw new DicomException(f, "cannot decode pixel data: the DICOM reader failed on this file");
        } finally {
            if (decoded != null) ExternalDecoder.cleanUp(decoded);
        }
    }

    private static String mosaicInWords(MosaicLayout m) {
        return m == null ? "not a mosaic" : "a mosaic of " + m.slices() + " images";
    }

    /** Adds the slices of {@code f}; returns its tiling when it is a (single-frame) Siemens mosaic. */
    private static MosaicLayout readFile(Path f, int w, int h, List<Slice> into) throws DicomException {
        Decoded d = readDecoded(f);
        PixelMedReader.Parsed p = d.parsed();
        String originalSyntax = d.originalSyntax();
        Path decoded = d.externallyDecoded() ? f : null;
        AttributeList l = p.list();
        Attribute pd = l.get(TagFromName.PixelData);
        String problems = p.problems().isEmpty() ? "" : " (" + p.problems() + ")";
        if (pd == null) {
            throw new DicomException(f, "pixel data missing or truncated" + problems);
        }
        int frames = Headers.frames(l);
        String implausible = FrameCount.implausible(f, frames, h, w, Headers.integer(l, TagFromName.SamplesPerPixel, 1),
                Headers.integer(l, TagFromName.BitsAllocated, 16), decoded != null ? originalSyntax : p.transferSyntaxUid());
        if (implausible != null) throw new DicomException(f, implausible);
        boolean multiFrame = l.get(TagFromName.NumberOfFrames) != null;
        if (Headers.integer(l, TagFromName.Rows, 0) != h || Headers.integer(l, TagFromName.Columns, 0) != w) {
            throw new DicomException(f, "image size differs from the rest of the series");
        }
        StoredEncoding enc = Headers.encoding(l, multiFrame ? 1 : 0);
        if (enc.bitsStored() < 1 || enc.bitsStored() > enc.bitsAllocated() || enc.highBit() >= enc.bitsAllocated()
                || enc.highBit() < enc.bitsStored() - 1) {
            throw new DicomException(f, "inconsistent Bits Allocated/Stored/High Bit " + enc.bitsAllocated() + "/"
                    + enc.bitsStored() + "/" + enc.highBit());
        }
        Object data;
        long available;
        try {
            if (enc.bitsAllocated() == 16) {
                short[] words = pd.getShortValues();
                data = words;
                available = words == null ? 0 : words.length;
            } else {
                byte[] bytes = pd.getByteValues();
                data = bytes;
                available = bytes == null ? 0 : bytes.length;
            }
        } catch (com.pixelmed.dicom.DicomException | RuntimeException e) {
            throw new DicomException(f, "cannot decode pixel data: " + e.getMessage(), e);
        }
        // checked before anything is allocated per frame: Number of Frames must fit the pixel data that is there
        long needed = (long) frames * w * h;
        if (frames < 1 || available < needed) {
            throw new DicomException(f, "pixel data truncated: Number of Frames " + frames + " x " + w + " x " + h
                    + " needs " + needed + " values, " + available + " present" + problems);
        }
        // one encoding per frame: enhanced objects may rescale each frame differently
        StoredEncoding[] frameEncodings = new StoredEncoding[frames];
        for (int k = 0; k < frames; k++) {
            StoredEncoding e = Headers.encoding(l, multiFrame ? k + 1 : 0);
            if (e.rescaleSlope() == 0 || !Double.isFinite(e.rescaleSlope()) || !Double.isFinite(e.rescaleIntercept())) {
                throw new DicomException(f, "invalid Rescale Slope/Intercept " + e.rescaleSlope() + "/" + e.rescaleIntercept()
                        + (multiFrame ? " in frame " + (k + 1) : ""));
            }
            String range = modalityRangeProblem(e);
            if (range != null) throw new DicomException(f, range + (multiFrame ? " in frame " + (k + 1) : ""));
            frameEncodings[k] = e;
        }
        try {
            // records Lossy Image Compression when PixelMed decompressed a lossy stream; the writer copies it
            l.insertLossyImageCompressionHistoryIfDecompressed();
            String lossyMethod = decoded == null ? null : ExternalDecoder.LOSSY_METHOD.get(originalSyntax);
            if (lossyMethod != null && !"01".equals(Headers.string(l, TagFromName.LossyImageCompression).trim())) {
                NewAttributes.set(l, TagFromName.LossyImageCompression, "01");
                NewAttributes.set(l, TagFromName.LossyImageCompressionMethod, lossyMethod);
            }
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new DicomException(f, "cannot record lossy compression history: " + e.getMessage(), e);
        }
        l.remove(TagFromName.PixelData);  // the writer needs the header only; don't hold the pixels twice
        PixelMedSourceHeaders.SourceFile source = new PixelMedSourceHeaders.SourceFile(f, l,
                decoded != null ? originalSyntax : p.transferSyntaxUid());
        for (int k = 0; k < frames; k++) {
            int frame = multiFrame ? k + 1 : 0;
            into.add(new Slice(Headers.geometry(l, f, frame), frameEncodings[k], source, data, k * w * h));
        }
        try {
            return multiFrame ? null : SiemensPrivate.mosaicLayout(l);
        } catch (IllegalArgumentException e) {
            throw new DicomException(f, "Siemens mosaic that cannot be unpacked: " + e.getMessage());
        }
    }
}
