package org.diffdenoise.noise;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class XrayDetectorNoiseTest {

    static final int N = 64;

    static float[] ramp() {
        float[] img = new float[N * N];
        for (int y = 0; y < N; y++) for (int x = 0; x < N; x++) img[y * N + x] = 200 + 30 * x;
        return img;
    }

    @Test
    void measuredStdMatchesTheMapAndFollowsTheSignal() {
        float[] img = ramp();
        XrayDetectorNoise xr = new XrayDetectorNoise(2.0, 3.0, 1.0);
        double[] sd = NoiseSimulatorChecks.empiricalStd(xr, img, N, N, 40, 1);
        float[] map = xr.simulate(img, N, N, new SplittableRandom(2)).sigmaMap();
        assertEquals(1, NoiseSimulatorChecks.meanRatio(sd, map, null), 0.05);
        assertTrue(map[N * N / 2 + N - 1] > 1.5 * map[N * N / 2], "brighter pixels are noisier");
    }

    @Test
    void theDetectorBlurCorrelatesTheQuantumNoiseOnly() {
        float[] img = ramp();
        double blurred = NoiseSimulatorChecks.lag1(new XrayDetectorNoise(2.0, 1.0, 1.0).simulate(img, N, N, new SplittableRandom(3)), N, N, null);
        double sharp = NoiseSimulatorChecks.lag1(new XrayDetectorNoise(2.0, 1.0, 0).simulate(img, N, N, new SplittableRandom(3)), N, N, null);
        double readOnly = NoiseSimulatorChecks.lag1(new XrayDetectorNoise(0, 5.0, 1.0).simulate(img, N, N, new SplittableRandom(3)), N, N, null);
        assertTrue(blurred > 0.5, "blurred lag-1 " + blurred);
        assertEquals(0, sharp, 0.05);
        assertEquals(0, readOnly, 0.05);
    }

    @Test
    void targetSigmaIsHit() {
        float[] img = ramp();
        XrayDetectorNoise xr = XrayDetectorNoise.withTargetSigma(img, N, N, 10, 0.2, 1.2);
        assertEquals(10, xr.simulate(img, N, N, new SplittableRandom(4)).rmsSigma(), 1e-3);
        assertEquals(10 * Math.sqrt(0.2), xr.readSigma(), 1e-9);
    }
}
