package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.diffdenoise.bench.data.BenchPhantom;
import org.diffdenoise.dicom.SyntheticSeriesWriter;
import org.diffdenoise.noise.MrKspaceNoise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 16-coil root-sum-of-squares MR series, written as DICOM and denoised with the shipped model: its noncentral-chi
 * floor is read from the air and removed (the air of the output under 2 per-coil sigmas, where the floor is about 5.6),
 * and the report and each derived instance say so; a single-coil series of the same phantom is left as it was.
 */
class MultiCoilFloorTest {

    private static final int W = 192, H = 160;
    private static final double SIGMA = 25;

    @Test
    void sixteenCoilFloorIsRemovedAndReportedOneCoilIsNot(@TempDir Path tmp) throws Exception {
        Path study = tmp.resolve("study");
        List<float[]> clean = new ArrayList<>();
        for (int z = 0; z < 3; z++) clean.add(BenchPhantom.generate(W, H, 43, z / 3.0).data());
        for (int coils : new int[] {16, 1}) {
            List<float[]> slices = new ArrayList<>();
            SplittableRandom rng = new SplittableRandom(coils);
            for (float[] c : clean) {
                float[] noisy = new MrKspaceNoise(SIGMA, 1, coils, 1).simulate(c, W, H, rng.split()).noisy();
                // stored from 0 as a scanner stores magnitude (the synthetic writer's intercept is the smallest value, and
                // the derived series keeps the source's encoding, so without a 0 it could not hold values below the floor)
                noisy[0] = 0;
                slices.add(noisy);
            }
            String name = coils + " coils";
            var spec = new SyntheticSeriesWriter.SeriesSpec("MR", "Phantom^Coils", "COILS-1", null, "coil floor", name, coils, 1.0, 3.0);
            SyntheticSeriesWriter.write(slices, W, H, spec, Files.createDirectories(study.resolve("s" + coils)));
        }
        BatchReport r = ShippedModelStudy.denoise(study, tmp.resolve("out"));
        assertEquals(2, r.written(), () -> "results: " + r.results());
        for (SeriesResult s : r.results()) {
            boolean multi = s.series().seriesDescription().equals("16 coils");
            String desc = ShippedModelStudy.derivationDescription(s.output());
            double air = airMean(s.output(), clean);
            if (multi) {
                assertTrue(s.message().matches(".*multi-coil magnitude background \\(about 1[4-8] coils, per-coil noise sigma 2[2-8]\\.?\\d*.*"), s.message());
                assertTrue(desc.contains("was removed before denoising"), desc);
                // the floor is about sigma sqrt(2 * 16 - 1/2) = 140; left in, the output's air keeps 128 of it; removed, about 36
                assertTrue(air < 2 * SIGMA, "mean of the output's air " + air);
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
