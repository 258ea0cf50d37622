package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.dicom.SyntheticSeriesWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 16-coil root-sum-of-squares MR series, written as DICOM and denoised with the shipped model: its noncentral-chi
 * floor is read from the air and removed (the air of the output under 2 per-coil sigmas, where the floor is about 5.6),
 * and the report and each derived instance say so; a single-coil series of the same phantom is left as it was. Asked to
 * keep the floor, the output keeps it, says so, and a later run that would remove it does not pass the earlier output
 * as its own.
 */
class MultiCoilFloorTest {

    private static final double SIGMA = MultiCoilStudy.SIGMA;

    @Test
    void sixteenCoilFloorIsRemovedAndReportedOneCoilIsNot(@TempDir Path tmp) throws Exception {
        Path study = tmp.resolve("study");
        List<float[]> clean = MultiCoilStudy.write(study, 16, 1);
        // the floor is about sigma sqrt(2 * 16 - 1/2) = 140; left in, the output's air keeps 128 of it; removed, about 36
        assertOutputs(ShippedModelStudy.denoise(study, tmp.resolve("out")), clean, "its noise floor was removed before denoising", false);
    }

    @Test
    void keptFloorStaysIsReportedAndARunThatRemovesItIsRefused(@TempDir Path tmp) throws Exception {
        Path study = tmp.resolve("study"), out = tmp.resolve("out");
        List<float[]> clean = MultiCoilStudy.write(study, 16, 1);
        BatchOptions keep = new BatchOptions(DenoiseSettings.defaults().withKeepCoilFloor(true), false, Set.of());
        assertOutputs(ShippedModelStudy.denoise(study, out, keep), clean, "its noise floor was kept, as asked", true);
        // the default run removes the floor: the 16-coil output is not its own; the 1-coil output is (the setting changes nothing there)
        BatchReport again = ShippedModelStudy.denoise(study, out);
        for (SeriesResult s : again.results()) {
            if (s.series().seriesDescription().equals("16 coils")) {
                assertEquals(SeriesStatus.FAILED, s.status(), s.message());
                assertTrue(s.message().contains("multi-coil noise floor removed here, kept there"), s.message());
            } else {
                assertEquals(SeriesStatus.ALREADY_DONE, s.status(), s.message());
            }
        }
    }
    // both series written; the 16-coil one says what was done with its floor (and its air shows it), the 1-coil one is untouched
    private static void assertOutputs(BatchReport r, List<float[]> clean, String done, boolean floorKept) throws Exception {
        assertEquals(2, r.written(), () -> "results: " + r.results());
        for (SeriesResult s : r.results()) {
            String desc = ShippedModelStudy.derivationDescription(s.output());
            double air = airMean(s.output(), clean);
            if (s.series().seriesDescription().equals("16 coils")) {
                assertTrue(s.message().matches(".*multi-coil magnitude background \\(about 1[4-8] coils, per-coil noise sigma 2[2-8]\\.?\\d*.*"), s.message());
                assertTrue(s.message().contains(done) && desc.contains(done), s.message() + " / " + desc);
                if (floorKept) assertTrue(air > 4 * SIGMA, "the output's air keeps the floor (about 5.6 per-coil sigmas): " + air);
                else assertTrue(air < 2 * SIGMA, "mean of the output's air " + air);
            } else {
                assertFalse(s.message().contains("multi-coil"), s.message());
                assertFalse(desc.contains("multi-coil"), desc);
                assertTrue(air < SIGMA, "mean of the output's air " + air);
            }
        }
    }

    // mean of the denoised slices where the phantom is 0
    private static double airMean(Path dir, List<float[]> clean) throws Exception {
        SyntheticSeriesWriter.ReadBack rb = SyntheticSeriesWriter.read(dir);
        assertEquals(clean.size(), rb.slices().size());
        double sum = 0;
        long n = 0;
        for (int z = 0; z < clean.size(); z++) {
            float[] out = rb.slices().get(z), c = clean.get(z);
            for (int i = 1; i < c.length; i++)
                if (c[i] == 0) {
                    sum += out[i];
                    n++;
                }
        }
        return sum / n;
    }
}
