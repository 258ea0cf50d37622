package org.diffdenoise.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;
import org.junit.jupiter.api.Test;

class ErrorScaleBootstrapTest {

    @Test
    void renoisingAddsGaussianNoiseOfTheLocalSigmaOrRicianNoiseForMr() {
        int n = 200_000;
        float[] clean = new float[n], sigma = new float[n];
        for (int i = 0; i < n; i++) {
            clean[i] = i < n / 2 ? 100 : 0;
            sigma[i] = i < n / 2 ? 10 : 20;
        }
        float[] ct = ErrorScaleBootstrap.renoise(clean, sigma, NoiseFamily.GAUSSIAN_CT, new SplittableRandom(1));
        double[] bright = meanSd(ct, 0, n / 2), dark = meanSd(ct, n / 2, n);
        assertEquals(100, bright[0], 0.1);
        assertEquals(10, bright[1], 0.1);
        assertEquals(0, dark[0], 0.2);
        assertEquals(20, dark[1], 0.2);
        float[] mr = ErrorScaleBootstrap.renoise(clean, sigma, NoiseFamily.RICIAN_MR, new SplittableRandom(1));
        // Rician: at SNR 10 the mean is about sqrt(A^2 + sigma^2); without signal a Rayleigh of mean sigma sqrt(pi / 2)
        assertEquals(Math.sqrt(100 * 100 + 10 * 10), meanSd(mr, 0, n / 2)[0], 0.3);
        assertEquals(20 * Math.sqrt(Math.PI / 2), meanSd(mr, n / 2, n)[0], 0.2);
        for (float v : mr) assertTrue(v >= 0);
    }

    @Test
    void nonFiniteValuesStayAndTheSameSeedGivesTheSameNoise() {
        float[] clean = {Float.NaN, 5, Float.POSITIVE_INFINITY, 7}, sigma = {1, 1, 1, 1};
        float[] a = ErrorScaleBootstrap.renoise(clean, sigma, NoiseFamily.GAUSSIAN_CT, new SplittableRandom(3));
        assertTrue(Float.isNaN(a[0]) && a[2] == Float.POSITIVE_INFINITY && a[1] != 5);
        assertArrayEquals(a, ErrorScaleBootstrap.renoise(clean, sigma, NoiseFamily.GAUSSIAN_CT, new SplittableRandom(3)));
    }

    @Test
    void theRatioIsTheRmsErrorOverTheRmsMapOnTheObjectForMrAndEverywhereElse() {
        // output 0 (air) and 100 (object); a slice that was not denoised never counts
        float[][] out = {{0, 0, 100, 100}, {100, 100, 100, 100}};
        boolean[] denoised = {true, false};
        boolean[] mr = ErrorScaleBootstrap.pixels(out, denoised, NoiseFamily.RICIAN_MR);
        assertArrayEquals(new boolean[] {false, false, true, true, false, false, false, false}, mr);
        boolean[] ct = ErrorScaleBootstrap.pixels(out, denoised, NoiseFamily.GAUSSIAN_CT);
        assertArrayEquals(new boolean[] {true, true, true, true, false, false, false, false}, ct);
        float[][] rerun = {{1, -1, 103, 97}, {0, 0, 0, 0}}, map = {{9, 9, 2, 2}, {1, 1, 1, 1}};
        // object: errors 3, -3 against a map of 2 -> 1.5; everywhere: sqrt((1 + 1 + 9 + 9) / (81 + 81 + 4 + 4))
        assertEquals(1.5, ErrorScaleBootstrap.ratio(out, rerun, map, mr), 1e-9);
        assertEquals(Math.sqrt(20.0 / 170), ErrorScaleBootstrap.ratio(out, rerun, map, ct), 1e-9);
        assertTrue(Double.isNaN(ErrorScaleBootstrap.ratio(out, rerun, map, new boolean[8])));
    }

    @Test
    void theFactorIsTheSeriesRatioOverTheFittingCasesBoundedAndOneWhenUndefined() {
        assertEquals(0.8, ErrorScaleBootstrap.factor(0.72, 0.9), 1e-12);
        assertEquals(ErrorScaleBootstrap.LIMIT, ErrorScaleBootstrap.factor(5, 0.9));
        assertEquals(1 / ErrorScaleBootstrap.LIMIT, ErrorScaleBootstrap.factor(0.01, 0.9));
        assertEquals(1, ErrorScaleBootstrap.factor(Double.NaN, 0.9));
        assertEquals(1, ErrorScaleBootstrap.factor(0.7, 0));
    }

    private static double[] meanSd(float[] v, int from, int to) {
        double s = 0, q = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
            q += (double) v[i] * v[i];
        }
        double m = s / (to - from);
        return new double[] {m, Math.sqrt(q / (to - from) - m * m)};
    }
}
