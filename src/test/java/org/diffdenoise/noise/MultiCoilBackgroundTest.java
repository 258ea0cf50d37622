package org.diffdenoise.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MultiCoilBackgroundTest {

    private static final int SIZE = 192;

    private static float[] rss(int coils, double sigma, double zeroFill, long seed) {
        TestImages.Image clean = TestImages.mrPhantom(SIZE, SIZE);
        return new MrKspaceNoise(sigma, zeroFill, coils, 1).simulate(clean.px(), SIZE, SIZE, new SplittableRandom(seed)).noisy();
    }

    @Test
    void readsTheCoilCountAndSigmaOfRootSumOfSquaresMagnitude() {
        for (int coils : new int[] {4, 8, 16, 32})
            for (double zeroFill : new double[] {1, 1.5}) {
                MultiCoilBackground.Reading r = MultiCoilBackground.read(rss(coils, 0.03, zeroFill, coils), SIZE, SIZE).orElseThrow();
                String what = coils + " coils, zero-fill " + zeroFill + ": " + r;
                assertEquals(coils, r.coils(), 0.15 * coils, what);
                assertEquals(0.03, r.sigma(), 0.003, what);
                assertTrue(r.multiCoil(), what);
            }
    }

    @Test
    void readsImagesWithLittleOrMuchAir() {
        // the training generator's phantoms: 7001 has 9 % air, 7003 62 % (its darkest twentieth lies anywhere in the air,
        // so less of it at the border than on a head with a rim of air)
        for (long seed : new long[] {7001, 7003}) {
            float[] clean = org.diffdenoise.image.Phantoms.mrLike(SIZE, seed);
            float[] y = new MrKspaceNoise(0.05, 1.5, 16, 1).simulate(clean, SIZE, SIZE, new SplittableRandom(seed)).noisy();
            MultiCoilBackground.Reading r = MultiCoilBackground.read(y, SIZE, SIZE).orElseThrow(() -> new AssertionError("phantom " + seed));
            assertEquals(16, r.coils(), 2.4, "phantom " + seed + ": " + r);
        }
    }

    @Test
    void oneCoilIsNotMultiCoil() {
        for (long seed = 1; seed <= 3; seed++) {
            Optional<MultiCoilBackground.Reading> r = MultiCoilBackground.read(rss(1, 0.03, 1, seed), SIZE, SIZE);
            assertTrue(r.isPresent(), "Rayleigh air is background");
            assertFalse(r.get().multiCoil(), r.get().toString());
        }
    }

    @Test
    void anImageWithoutAirIsNotRead() throws Exception {
        // a crop inside the head: its dimmest tissue would read as 16 coils if it were taken for air
        TestImages.Image mr = TestImages.mrSmall();
        assertEquals(Optional.empty(), MultiCoilBackground.read(mr.px(), mr.w(), mr.h()));
    }

    @Test
    void maskedAirAndNegativeValuesAreNotRead() throws Exception {
        TestImages.Image brain = TestImages.brainMr(10); // a scanner's series with its air set to 0
        assertEquals(Optional.empty(), MultiCoilBackground.read(brain.px(), brain.w(), brain.h()));
        float[] shifted = rss(16, 0.03, 1, 5);
        for (int i = 0; i < shifted.length; i++) shifted[i] -= 0.5f;
        assertEquals(Optional.empty(), MultiCoilBackground.read(shifted, SIZE, SIZE), "not a magnitude image");
    }

    @Test
    void theSeriesReadingNeedsHalfOfItsSlices() {
        float[] coil16 = rss(16, 0.03, 1, 7);
        float[] noAir = new float[SIZE * SIZE];
        java.util.Arrays.fill(noAir, 1f);
        Optional<MultiCoilBackground.Reading> air = MultiCoilBackground.read(coil16, SIZE, SIZE), none = MultiCoilBackground.read(noAir, SIZE, SIZE);
        assertEquals(Optional.empty(), none);
        assertEquals(16, MultiCoilBackground.ofSeries(List.of(air, air, none)).orElseThrow().coils(), 2.4);
        assertEquals(Optional.empty(), MultiCoilBackground.ofSeries(List.of(air, none, none)));
        assertEquals(Optional.empty(), MultiCoilBackground.floorToRemove(List.of(MultiCoilBackground.read(rss(1, 0.03, 1, 8), SIZE, SIZE))),
                "one coil: nothing to remove");
    }

    @Test
    void removingTheFloorLeavesOneCoilsMeanSquare() {
        // E[y^2] = x^2 + 2 N sigma^2 for N coils: after the removal, x^2 + 2 sigma^2 as for one coil's Rician data
        NoiseRealization sim = new MrKspaceNoise(0.03, 1, 16, 1).simulate(TestImages.mrPhantom(SIZE, SIZE).px(), SIZE, SIZE, new SplittableRandom(11));
        float[] y = sim.noisy(), clean = sim.reference();
        MultiCoilBackground.Reading r = MultiCoilBackground.read(y, SIZE, SIZE).orElseThrow();
        double tissue = 0, n = 0;
        for (int i = 0; i < y.length; i++)
            if (clean[i] > 0.5) {
                double v = r.floorRemoved(y[i]);
                tissue += v * v - (double) clean[i] * clean[i];
                n++;
            }
        // 32 sigma^2 before; within 2 sigma^2 of one coil's 2 sigma^2 after (the reading's N is good to a few percent)
        assertEquals(2 * 0.03 * 0.03, tissue / n, 2 * 0.03 * 0.03, "mean excess of y'^2 over x^2 in bright tissue, " + r);
        assertTrue(Float.isNaN(r.floorRemoved(Float.NaN)));
        assertEquals(0f, r.floorRemoved(0f));
    }

    @Test
    void theLowerPartOfTheAirBecomesOneCoilsRayleighBackground() {
        // 16 coils put the air on sigma chi_32 (median 5.6 sigma); in its lower part the removal maps it onto Rayleigh
        // quantiles (one coil's air), above that it subtracts the moments' floor, so nothing is clipped to 0 and the lower
        // quartile is Rayleigh's (0.76 sigma)
        NoiseRealization sim = new MrKspaceNoise(0.03, 1, 16, 1).simulate(TestImages.mrPhantom(SIZE, SIZE).px(), SIZE, SIZE, new SplittableRandom(12));
        float[] y = sim.noisy(), clean = sim.reference();
        MultiCoilBackground.Reading r = MultiCoilBackground.read(y, SIZE, SIZE).orElseThrow();
        double[] air = java.util.stream.IntStream.range(0, y.length).filter(i -> clean[i] == 0).mapToDouble(i -> r.floorRemoved(y[i])).sorted().toArray();
        long zeros = java.util.Arrays.stream(air).filter(v -> v == 0).count();
        assertTrue(zeros < 0.01 * air.length, zeros + " of " + air.length + " air pixels at 0");
        assertEquals(0.03 * Math.sqrt(-2 * Math.log(0.75)), air[air.length / 4], 0.1 * 0.03, "lower quartile of the air");
    }

    @Test
    void upperIncompleteGammaMatchesClosedForms() {
        // Q(1, x) = exp(-x); Q(2, x) = (1 + x) exp(-x); Q(1/2, x) = erfc(sqrt(x)), here at x = 1: 0.157299207
        for (double x : new double[] {0.01, 0.5, 1, 3, 10, 40}) {
            assertEquals(Math.exp(-x), MultiCoilBackground.upperGammaQ(1, x), 1e-12 + 1e-9 * Math.exp(-x), "Q(1, " + x + ")");
            assertEquals((1 + x) * Math.exp(-x), MultiCoilBackground.upperGammaQ(2, x), 1e-12 + 1e-9 * Math.exp(-x), "Q(2, " + x + ")");
        }
        assertEquals(0.157299207050285, MultiCoilBackground.upperGammaQ(0.5, 1), 1e-9);
    }
}
