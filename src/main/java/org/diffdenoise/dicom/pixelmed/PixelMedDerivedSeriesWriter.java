package org.diffdenoise.dicom.pixelmed;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.diffdenoise.dicom.AtomicSeriesDirectory;
import org.diffdenoise.dicom.DerivedSeriesLayout;
import org.diffdenoise.dicom.DicomException;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.DicomUids;
import org.diffdenoise.dicom.Provenance;
import org.diffdenoise.dicom.SeriesWriteResult;
import org.diffdenoise.dicom.SliceGeometry;
import org.diffdenoise.dicom.StoredEncoding;

/**
 * Writes a derived series: one output instance per source instance (multi-frame sources give multi-frame output
 * with the same frames), into a temporary folder that is moved into place only when every instance succeeded.
 */
final class PixelMedDerivedSeriesWriter {
    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss.SSS");
    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ");

    private PixelMedDerivedSeriesWriter() {
    }

    static SeriesWriteResult write(DicomSeries source, RandomAccessibleInterval<FloatType> pixels, Provenance provenance,
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
        int w = (int) source.pixels().dimension(0);
        int h = (int) source.pixels().dimension(1);
        int n = source.sliceCount();
        if (pixels.numDimensions() != 3 || pixels.dimension(0) != w || pixels.dimension(1) != h || pixels.dimension(2) != n) {
            throw new DicomException(firstFile, "derived pixels have shape " + java.util.Arrays.toString(pixels.dimensionsAsLongArray())
                    + " but the source series is [" + w + ", " + h + ", " + n + "]");
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
        List<String[]> sourceInstances = new ArrayList<>();
        for (List<Integer> slices : byFile.values()) {
            SliceGeometry g = source.geometry().get(slices.get(0));
            sourceInstances.add(new String[] {g.sopClassUid(), g.sopInstanceUid()});
        }

        ZonedDateTime now = ZonedDateTime.now();
        int seriesNumber = DerivedSeriesLayout.seriesNumber(source.ref().seriesNumber());
        String newSeriesUid = DicomUids.newUid();
        DerivedInstanceFactory.SeriesContext ctx = new DerivedInstanceFactory.SeriesContext(newSeriesUid, seriesNumber,
                DerivedSeriesLayout.seriesDescription(source.ref().seriesDescription()), now.format(DA), now.format(TM),
                now.format(DT), provenance, source.ref().seriesInstanceUid(), sourceInstances);
        String folder = DerivedSeriesLayout.folderName(seriesNumber, source.ref().seriesDescription(),
                source.ref().seriesInstanceUid());

        try (AtomicSeriesDirectory out = AtomicSeriesDirectory.open(outputRoot, folder, overwrite)) {
            int index = 0;
            for (Map.Entry<Path, List<Integer>> e : byFile.entrySet()) {
                List<Integer> slices = e.getValue();
                AttributeList sourceHeader = headers.perSlice().get(slices.get(0)).header();
                Path target = out.tempDirectory().resolve(DerivedSeriesLayout.fileName(index));
                try {
                    Object data = encode(source, pixels, slices, w, h, e.getKey());
                    List<DerivedInstanceFactory.Frame> frames = new ArrayList<>();
                    for (int z : slices) {
                        frames.add(new DerivedInstanceFactory.Frame(source.geometry().get(z).frame(),
                                sigmas.length == 0 ? Double.NaN : sigmas[z]));
                    }
                    AttributeList derived = DerivedInstanceFactory.derive(sourceHeader, ctx, index + 1, frames, data);
                    derived.write(target.toString(), TransferSyntax.ExplicitVRLittleEndian, true, true);
                } catch (com.pixelmed.dicom.DicomException | java.io.IOException ex) {
                    throw new DicomException(target, "cannot write derived instance of " + e.getKey() + ": " + ex.getMessage(), ex);
                } catch (RuntimeException ex) {
                    throw new DicomException(target, "cannot write derived instance of " + e.getKey() + ": " + ex, ex);
                }
                index++;
            }
            Path dir = out.commit();
            return new SeriesWriteResult(dir, newSeriesUid, index);
        }
    }

    /** The stored values of the given slices: round((v - intercept) / slope), clipped to the storable range. */
    private static Object encode(DicomSeries source, RandomAccessibleInterval<FloatType> pixels,
                                 List<Integer> slices, int w, int h, Path sourceFile) throws DicomException {
        StoredEncoding enc = source.encoding(slices.get(0));
        int plane = w * h;
        int total = plane * slices.size();
        short[] words = enc.bitsAllocated() == 16 ? new short[total] : null;
        byte[] bytes = words == null ? new byte[total] : null;
        int shift = enc.highBit() + 1 - enc.bitsStored();
        long mask = (1L << enc.bitsStored()) - 1;
        for (int k = 0; k < slices.size(); k++) {
            int z = slices.get(k);
            StoredEncoding e = source.encoding(z);
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
        return words != null ? words : bytes;
    }

}
