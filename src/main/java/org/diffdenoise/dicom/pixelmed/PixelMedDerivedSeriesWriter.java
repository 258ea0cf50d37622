package org.diffdenoise.dicom.pixelmed;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.diffdenoise.dicom.AtomicSeriesDirectory;
import org.diffdenoise.dicom.DerivedImages;
import org.diffdenoise.dicom.DerivedSeriesLayout;
import org.diffdenoise.dicom.DicomException;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.DicomUids;
import org.diffdenoise.dicom.OutputWriteException;
import org.diffdenoise.dicom.Provenance;
import org.diffdenoise.dicom.SeriesWriteResult;
import org.diffdenoise.dicom.SliceGeometry;
import org.diffdenoise.dicom.SourceImageRef;
import org.diffdenoise.dicom.StoredEncoding;

/**
 * Writes a derived series: one output instance per source instance (multi-frame sources give multi-frame output
 * with the same frames), into a temporary folder that is moved into place only when every instance succeeded.
 */
final class PixelMedDerivedSeriesWriter {
    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss.SSS");
    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ");

    /** Image Comments of every instance derived from an incomplete series (written only when allowed). */
    static final String INCOMPLETE_COMMENT = "INCOMPLETE: derived from an incomplete source series (images missing or"
            + " unreadable); written because incomplete series were allowed. See the DiffDenoise report for the files.";

    private PixelMedDerivedSeriesWriter() {
    }

    static SeriesWriteResult write(DicomSeries source, DerivedImages images, Provenance provenance,
                                   Path outputRoot, boolean overwrite) throws DicomException {
        Path firstFile = source.geometry().get(0).file();
        if (outputRoot == null) {
            throw new DicomException(firstFile, "no output folder given");
        }
        outputRoot = outputRoot.toAbsolutePath().normalize();
        if (!(source.sourceHeaders() instanceof PixelMedSourceHeaders headers)) {
            throw new DicomException(firstFile, "series was loaded by the '" + source.sourceHeaders().backendName()
                    + "' backend; the PixelMed writer needs a series loaded by PixelMed");
        }
        if (provenance == null) {
            throw new DicomException(outputRoot, "no provenance given for the derived series");
        }
        int n = source.sliceCount();
        checkShape(source, images.denoised(), "derived pixels");
        if (images.uncertainty() != null) {
            checkShape(source, images.uncertainty(), "uncertainty map");
        }
        double[] sigmas = provenance.noiseSigmaPerSlice();
        if (sigmas.length != 0 && sigmas.length != n) {
            throw new DicomException(firstFile, "provenance has " + sigmas.length + " noise levels for " + n + " slices");
        }

        // one output instance per source file, its frames in the source's stored frame order
        Map<Path, List<Integer>> byFile = new LinkedHashMap<>();
        for (int z = 0; z < n; z++) {
            byFile.computeIfAbsent(source.geometry().get(z).file(), k -> new ArrayList<>()).add(z);
        }
        byFile.values().forEach(l -> l.sort((a, b) -> Integer.compare(source.geometry().get(a).frame(),
                source.geometry().get(b).frame())));
        List<SourceImageRef> sourceInstances = new ArrayList<>();
        for (List<Integer> slices : byFile.values()) {
            SliceGeometry g = source.geometry().get(slices.get(0));
            sourceInstances.add(SourceImageRef.instance(g.sopClassUid(), g.sopInstanceUid()));
        }

        ZonedDateTime now = ZonedDateTime.now();
        String srcDescription = source.ref().seriesDescription();
        String srcUid = source.ref().seriesInstanceUid();
        int seriesNumber = DerivedSeriesLayout.seriesNumber(source.ref().seriesNumber());
        DerivedInstanceFactory.SeriesContext ctx = new DerivedInstanceFactory.SeriesContext(DicomUids.newUid(), seriesNumber,
                DerivedSeriesLayout.seriesDescription(srcDescription), now.format(DA), now.format(TM),
                now.format(DT), provenance, srcUid, sourceInstances, null, memoized(() -> fullRangeWindow(images.denoised())));
        Written main = null;
        Written sd = null;
        AtomicSeriesDirectory mainDir = null;
        AtomicSeriesDirectory sdDir = null;
        try {
            mainDir = AtomicSeriesDirectory.open(outputRoot,
                    DerivedSeriesLayout.folderName(seriesNumber, srcDescription, srcUid), overwrite);
            main = writeInstances(source, headers, images.denoised(), byFile, ctx, mainDir, z -> source.encoding(z));
            if (images.uncertainty() != null) {
                double[] range;
                try {
                    range = range(images.uncertainty());
                } catch (IllegalArgumentException ex) {
                    throw new DicomException(firstFile, ex.getMessage());
                }
                StoredEncoding enc = StoredEncoding.forUncertainty(range[1]);
                int sdNumber = DerivedSeriesLayout.uncertaintySeriesNumber(source.ref().seriesNumber());
                DerivedInstanceFactory.SeriesContext sdCtx = new DerivedInstanceFactory.SeriesContext(DicomUids.newUid(),
                        sdNumber, DerivedSeriesLayout.uncertaintyDescription(srcDescription), now.format(DA),
                        now.format(TM), now.format(DT), provenance, srcUid, sourceInstances,
                        new DerivedInstanceFactory.Uncertainty(enc, windowWidth(range[0]) / 2, windowWidth(range[0])), null);
                sdDir = AtomicSeriesDirectory.open(outputRoot,
                        DerivedSeriesLayout.uncertaintyFolderName(sdNumber, srcDescription, srcUid), overwrite);
                sd = writeInstances(source, headers, images.uncertainty(), byFile, sdCtx, sdDir, z -> enc);
                AtomicSeriesDirectory.commitTogether(mainDir, sdDir);
            } else {
                mainDir.commit();
            }
        } finally {
            if (sdDir != null) sdDir.close();
            if (mainDir != null) mainDir.close();
        }
        SeriesWriteResult sdResult = sd == null ? null : new SeriesWriteResult(sdDir.target(), sd.seriesUid(), sd.instances());
        return new SeriesWriteResult(mainDir.target(), main.seriesUid(), main.instances(), sdResult);
    }

    private record Written(String seriesUid, int instances) {
    }

    /** Computes once, on first use (only a source with an invalid window needs the fallback window). */
    static <T> java.util.function.Supplier<T> memoized(java.util.function.Supplier<T> s) {
        return new java.util.function.Supplier<T>() {
            private boolean done;
            private T value;

            @Override
            public synchronized T get() {
                if (!done) {
                    value = s.get();
                    done = true;
                }
                return value;
            }
        };
    }

    /**
     * {center, width} spanning the finite values of the denoised series (width at least 1), for sources whose own
     * window is invalid; null when there is no finite value.
     */
    static double[] fullRangeWindow(RandomAccessibleInterval<FloatType> pixels) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (FloatType v : Views.flatIterable(pixels)) {
            float f = v.get();
            if (!Float.isFinite(f)) continue;
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        return lo > hi ? null : new double[] {(lo + hi) / 2, Math.max(1, hi - lo)};
    }

    /**
     * Window Width for showing 0 to the 99.5th percentile: at least 1, because a width below 1 (modality units) is
     * only valid with VOI LUT Function LINEAR_EXACT, which many viewers ignore.
     */
    static double windowWidth(double p995) {
        return Math.max(1.0, p995);
    }

    private static void checkShape(DicomSeries source, RandomAccessibleInterval<FloatType> pixels, String what)
            throws DicomException {
        int w = (int) source.pixels().dimension(0);
        int h = (int) source.pixels().dimension(1);
        int n = source.sliceCount();
        if (pixels.numDimensions() != 3 || pixels.dimension(0) != w || pixels.dimension(1) != h || pixels.dimension(2) != n) {
            throw new DicomException(source.geometry().get(0).file(), what + " have shape "
                    + java.util.Arrays.toString(pixels.dimensionsAsLongArray()) + " but the source series is [" + w + ", " + h + ", " + n + "]");
        }
    }

    /** One derived instance per source file into {@code out}'s temporary folder. */
    private static Written writeInstances(DicomSeries source, PixelMedSourceHeaders headers,
                                          RandomAccessibleInterval<FloatType> pixels, Map<Path, List<Integer>> byFile,
                                          DerivedInstanceFactory.SeriesContext ctx, AtomicSeriesDirectory out,
                                          IntFunction<StoredEncoding> encoding) throws DicomException {
        int w = (int) source.pixels().dimension(0);
        int h = (int) source.pixels().dimension(1);
        double[] sigmas = ctx.provenance().noiseSigmaPerSlice();
        int index = 0;
        for (Map.Entry<Path, List<Integer>> e : byFile.entrySet()) {
            List<Integer> slices = e.getValue();
            AttributeList sourceHeader = headers.perSlice().get(slices.get(0)).header();
            Path target = out.tempDirectory().resolve(DerivedSeriesLayout.fileName(index));
            Path named = out.target().resolve(target.getFileName()); // where the user looks; the temporary folder is gone
            try {
                StoredPixels data = encode(pixels, slices, w, h, e.getKey(), encoding);
                List<DerivedInstanceFactory.Frame> frames = new ArrayList<>();
                for (int z : slices) {
                    frames.add(new DerivedInstanceFactory.Frame(source.geometry().get(z).frame(),
                            sigmas.length == 0 ? Double.NaN : sigmas[z]));
                }
                AttributeList derived = DerivedInstanceFactory.derive(sourceHeader, ctx, index + 1, frames, data);
                if (source.ref().incompleteReason() != null) {
                    // plain ASCII and no file names: readable in any character set, and no local paths in the header
                    NewAttributes.set(derived, TagFromName.ImageComments, INCOMPLETE_COMMENT);
                }
                derived.write(target.toString(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            } catch (java.io.IOException ex) {
                // the file system, not the series (a full disk, say): the same series can be written later
                throw new OutputWriteException(named, "cannot write derived instance of " + e.getKey() + ": " + ex.getMessage(), ex);
            } catch (com.pixelmed.dicom.DicomException ex) {
                throw new DicomException(named, "cannot write derived instance of " + e.getKey() + ": " + ex.getMessage(), ex);
            } catch (RuntimeException ex) {
                throw new DicomException(named, "cannot write derived instance of " + e.getKey() + ": " + ex, ex);
            }
            index++;
        }
        return new Written(ctx.seriesInstanceUid(), index);
    }

    /**
     * The 99.5th percentile and the maximum of a non-negative map (a 4096-bin histogram up to the maximum, so the
     * percentile is within 1/4096 of the maximum); a negative or non-finite value is an error of the caller.
     */
    static double[] range(RandomAccessibleInterval<FloatType> map) {
        double max = 0;
        long count = 0;
        for (FloatType v : Views.flatIterable(map)) {
            float f = v.get();
            if (!(f >= 0) || !Float.isFinite(f)) {
                throw new IllegalArgumentException("uncertainty map holds " + f + ": standard deviations are finite and >= 0");
            }
            max = Math.max(max, f);
            count++;
        }
        if (max == 0) return new double[] {0, 0};
        long[] hist = new long[4096];
        for (FloatType v : Views.flatIterable(map)) {
            hist[(int) Math.min(4095, v.get() / max * 4096)]++;
        }
        long want = (long) Math.ceil(0.995 * count);
        long seen = 0;
        for (int b = 0; b < hist.length; b++) {
            seen += hist[b];
            if (seen >= want) return new double[] {(b + 1) * max / 4096, max};
        }
        return new double[] {max, max};
    }

    /** The stored values of the given slices: round((v - intercept) / slope), clipped to the storable range. */
    private static StoredPixels encode(RandomAccessibleInterval<FloatType> pixels, List<Integer> slices, int w, int h,
                                 Path sourceFile, IntFunction<StoredEncoding> encoding) throws DicomException {
        StoredEncoding enc = encoding.apply(slices.get(0));
        int plane = w * h;
        int total = plane * slices.size();
        short[] words = enc.bitsAllocated() == 16 ? new short[total] : null;
        byte[] bytes = words == null ? new byte[total] : null;
        int shift = enc.highBit() + 1 - enc.bitsStored();
        long mask = (1L << enc.bitsStored()) - 1;
        for (int k = 0; k < slices.size(); k++) {
            int z = slices.get(k);
            StoredEncoding e = encoding.apply(z);
            // flat iteration runs x fastest, then y: the DICOM pixel order
            Cursor<FloatType> c = Views.flatIterable(Views.hyperSlice(pixels, 2, pixels.min(2) + z)).cursor();
            int i = k * plane;
            for (int p = 0; p < plane; p++, i++) {
                float v = c.next().get();
                if (!Float.isFinite(v)) {
                    throw new DicomException(sourceFile, "derived pixel value " + v + " at (x=" + (p % w) + ", y="
                            + (p / w) + ", slice=" + z + ") is not a finite number");
                }
                long stored = e.toStored(v);
                // signed values without a bit shift are written sign-extended, as most writers do
                int raw = shift == 0 ? (int) stored : (int) ((stored & mask) << shift);
                if (words != null) {
                    words[i] = (short) raw;
                } else {
                    bytes[i] = (byte) raw;
                }
            }
        }
        return words != null ? new StoredPixels.Words(words) : new StoredPixels.Bytes(bytes);
    }

}
