package org.diffdenoise.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.image.FloatImage;
import org.junit.jupiter.api.Test;

/**
 * The per-pixel noise SD a report states, on the textured MR slices where the noise field reads correlated noise high
 * (Colin27 T1, k-space noise of the simulator: truth known).
 */
class PixelNoiseSdTest {

    private static List<FloatImage> colin27() throws Exception {
        TestImages.externalData("");
        return BenchmarkData.references(Path.of("external-data"), false, n -> n.equals("colin27-t1")).get(0).slices();
    }

    /** rms over the MR evaluation pixels (reference above 5 sigma) of {@code map}, and of the true map. */
    private static double[] rms(float[] map, NoiseRealization r) {
        double s = 0, t = 0;
        long n = 0;
        for (int i = 0; i < map.length; i++) {
            if (!(r.reference()[i] > 5 * r.sigmaMap()[i])) continue;
            s += (double) map[i] * map[i];
            t += (double) r.sigmaMap()[i] * r.sigmaMap()[i];
            n++;
        }
        return new double[] {Math.sqrt(s / n), Math.sqrt(t / n)};
    }

    @Test
    void zeroFilledMrIsMeasuredInItsAirWhereTheFieldReadsTheAnatomy() throws Exception {
        List<FloatImage> slices = colin27();
        double range = FloatImage.range(slices);
        for (MrKspaceNoise sim : new MrKspaceNoise[] {new MrKspaceNoise(0.02 * range, 2, 1, 1), new MrKspaceNoise(0.02 * range, 1.5, 32, 1)}) {
            NoiseRealization[] r = new NoiseRealization[slices.size()];
            SplittableRandom rng = new SplittableRandom(23);
            for (int z = 0; z < r.length; z++)
                r[z] = sim.simulate(slices.get(z).data(), slices.get(z).width(), slices.get(z).height(), new SplittableRandom(23), rng.split());
            int w = slices.get(0).width(), h = slices.get(0).height();
            Optional<Double> air = MultiCoilBackground.background(z -> r[z].noisy(), r.length, w, h).airSigma();
            assertTrue(air.isPresent(), sim.describe() + ": air read");
            for (int z = 0; z < r.length; z++) {
                NoiseField field = NoiseFieldEstimator.estimate(r[z].noisy(), w, h, NoiseFamily.RICIAN_MR);
                PixelNoiseSd sd = PixelNoiseSd.of(field, air);
                double[] f = rms(field.sigmaMap(), r[z]), p = rms(sd.map(), r[z]);
                String what = sim.describe() + " slice " + z + ": field " + f[0] + ", air " + p[0] + ", truth " + p[1];
                assertTrue(f[0] > 1.5 * f[1], "the field reads the anatomy as noise (what this class is for): " + what);
                assertEquals(p[1], p[0], 0.15 * p[1], what);
                assertEquals(PixelNoiseSd.AIR, sd.source(), what);
            }
        }
    }

    @Test
    void whiteNoiseWithAGFactorKeepsTheFieldWhichFollowsIt() throws Exception {
        List<FloatImage> slices = colin27();
        FloatImage s = slices.get(1);
        MrKspaceNoise sim = new MrKspaceNoise(0.05 * FloatImage.range(slices), 1, 1, 3);
        NoiseRealization r = sim.simulate(s.data(), s.width(), s.height(), new SplittableRandom(24));
        NoiseField field = NoiseFieldEstimator.estimate(r.noisy(), s.width(), s.height(), NoiseFamily.RICIAN_MR);
        Optional<Double> air = MultiCoilBackground.background(z -> r.noisy(), 1, s.width(), s.height()).airSigma();
        PixelNoiseSd sd = PixelNoiseSd.of(field, air);
        assertSame(field.sigmaMap(), sd.map());
        double[] p = rms(sd.map(), r);
        assertEquals(p[1], p[0], 0.15 * p[1], "g-factor R = 3");
        // the air sits where the g-factor is low: it would read the tissue's noise short
        assertTrue(air.orElseThrow() < 0.8 * p[1], "air " + air + " against " + p[1]);
    }

    @Test
    void withoutAirTheFieldIsKept() {
        NoiseField field = new NoiseField(new float[] {3, 3, 3, 3}, 3, new double[0], 10, 1, 0, 3, "m");
        assertSame(field.sigmaMap(), PixelNoiseSd.of(field, Optional.empty()).map());
        assertEquals(Optional.empty(), PixelNoiseSd.fromAir(1.2, Optional.of(2.0)), "white noise keeps the field");
        assertEquals(Optional.of(2.0), PixelNoiseSd.fromAir(10, Optional.of(2.0)));
    }
}
