package org.diffdenoise.noise;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MrKspaceNoiseTest {

    static final int N = 64;

    static float[] flat(float v) {
        float[] img = new float[N * N];
        java.util.Arrays.fill(img, v);
        return img;
    }

    @Test
    void fullKspaceSingleCoilIsWhiteRicianOfTheRequestedSigma() {
        float[] img = flat(100);
        MrKspaceNoise mr = new MrKspaceNoise(5, 1, 1, 1);
        double[] sd = NoiseSimulatorChecks.empiricalStd(mr, img, N, N, 30, 1);
        NoiseRealization r = mr.simulate(img, N, N, new SplittableRandom(2));
        assertEquals(1, NoiseSimulatorChecks.meanRatio(sd, r.sigmaMap(), null), 0.05);
        assertEquals(0, NoiseSimulatorChecks.lag1(r, N, N, null), 0.05);
        assertArrayEquals(img, r.reference(), 1e-3f);
    }

    @Test
    void zeroFillingKeepsTheStdAndCorrelatesTheNoise() {
        float[] img = flat(100);
        for (double zf : new double[] {1.5, 2}) {
            MrKspaceNoise mr = new MrKspaceNoise(5, zf, 1, 1);
            double[] sd = NoiseSimulatorChecks.empiricalStd(mr, img, N, N, 30, 3);
            NoiseRealization r = mr.simulate(img, N, N, new SplittableRandom(4));
            assertEquals(1, NoiseSimulatorChecks.meanRatio(sd, r.sigmaMap(), null), 0.06, "zero-fill " + zf);
            assertTrue(NoiseSimulatorChecks.lag1(r, N, N, null) > 0.3, "zero-fill " + zf + " lag-1");
        }
    }

    @Test
    void gFactorMapScalesTheLocalNoise() {
        float[] img = flat(100);
        MrKspaceNoise mr = new MrKspaceNoise(3, 1, 1, 3);
        // the map is drawn from the realization's generator: use one seed for map and samples
        double[] sd = new double[N * N];
        float[] map = null;
        int runs = 30;
        for (int k = 0; k < runs; k++) {
            NoiseRealization r = mr.simulate(img, N, N, new SplittableRandom(9));
            map = r.sigmaMap();
            // same map each time (same first draws), different noise needs a different stream: shift by re-seeding
            NoiseRealization r2 = mr.simulate(img, N, N, new SplittableRandom(9 + 1000L * (k + 1)));
            for (int i = 0; i < sd.length; i++) sd[i] += Math.pow(r2.noisy()[i] - r2.reference()[i], 2) / Math.pow(r2.sigmaMap()[i], 2);
        }
        double mean = 0;
        for (double v : sd) mean += v / runs;
        mean /= sd.length;
        assertEquals(1, mean, 0.06, "noise / its map has unit variance");
        float lo = Float.MAX_VALUE, hi = 0;
        for (float v : map) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        assertEquals(3, lo, 1e-4);
        assertEquals(3 * mr.maxGFactor(), hi, 1e-3);
    }

    @Test
    void multiCoilRootSumOfSquaresHasTheNoncentralChiBackground() {
        float[] img = new float[N * N];
        for (int i = 0; i < img.length; i++) img[i] = (i % N) < N / 2 ? 0 : 200;
        for (int coils : new int[] {4, 16}) {
            MrKspaceNoise mr = new MrKspaceNoise(4, 1, coils, 1);
            NoiseRealization r = mr.simulate(img, N, N, new SplittableRandom(coils));
            double bg = 0, fg = 0, fg2 = 0;
            int nb = 0, nf = 0;
            for (int y = 0; y < N; y++)
                for (int x = 0; x < N; x++) {
                    int i = y * N + x;
                    if (x < N / 2 - 4) { bg += r.noisy()[i]; nb++; }
                    if (x > N / 2 + 4) { double d = r.noisy()[i] - r.reference()[i]; fg += d; fg2 += d * d; nf++; }
                }
            // chi with 2L degrees of freedom: mean sigma sqrt(2) Gamma(L + 1/2) / Gamma(L) ~ sigma sqrt(2L - 1/2)
            assertEquals(4 * Math.sqrt(2 * coils - 0.5), bg / nb, 0.05 * 4 * Math.sqrt(2 * coils), coils + " coils background mean");
            double sd = Math.sqrt(fg2 / nf - (fg / nf) * (fg / nf));
            assertEquals(4, sd, 0.3, coils + " coils foreground std");
            assertArrayEquals(img, r.reference(), 1e-2f, "sum |S|^2 = 1: the noise-free RSS is the clean image");
        }
    }
}
