package org.diffdenoise.noise;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class CtProjectionNoiseTest {

    static final int N = 64;

    @Test
    void measuredStdMatchesTheComputedMapForEveryKernel() {
        float[] disk = NoiseSimulatorChecks.waterDisk(N);
        boolean[] in = NoiseSimulatorChecks.inner(N, 0.9);
        for (FbpKernel k : FbpKernel.values()) {
            CtProjectionNoise ct = CtProjectionNoise.hounsfield(k, 0.1, 3.0);
            double[] sd = NoiseSimulatorChecks.empiricalStd(ct, disk, N, N, 40, 7);
            float[] map = ct.simulate(disk, N, N, new SplittableRandom(1)).sigmaMap();
            double ratio = NoiseSimulatorChecks.meanRatio(sd, map, in);
            assertEquals(1, ratio, 0.08, k + ": measured / computed std");
        }
    }

    @Test
    void kernelsShapeTheTexture() {
        float[] disk = NoiseSimulatorChecks.waterDisk(N);
        boolean[] in = NoiseSimulatorChecks.inner(N, 0.9);
        double[] lag = new double[FbpKernel.values().length];
        for (FbpKernel k : FbpKernel.values())
            lag[k.ordinal()] = NoiseSimulatorChecks.lag1(CtProjectionNoise.hounsfield(k, 0.2, 3.0).simulate(disk, N, N, new SplittableRandom(2)), N, N, in);
        // ramp noise is nearly white (the back-projection's linear interpolation correlates it a little), the smooth
        // kernels' noise strongly correlated
        assertTrue(lag[FbpKernel.RAMP.ordinal()] < 0.2, "ramp lag-1 " + lag[0]);
        assertTrue(lag[FbpKernel.HANN.ordinal()] > 0.3, "Hann lag-1 " + lag[2]);
        assertTrue(lag[FbpKernel.SOFT_TISSUE.ordinal()] > lag[FbpKernel.HANN.ordinal()], "soft tissue smoother than Hann");
        assertTrue(lag[FbpKernel.SHEPP_LOGAN.ordinal()] > lag[FbpKernel.RAMP.ordinal()]);
    }

    @Test
    void lowerDoseMeansMoreNoiseAndTargetSigmaIsHit() {
        float[] disk = NoiseSimulatorChecks.waterDisk(N);
        double s10 = CtProjectionNoise.hounsfield(FbpKernel.HANN, 0.10, 3.0).simulate(disk, N, N, new SplittableRandom(3)).rmsSigma();
        double s40 = CtProjectionNoise.hounsfield(FbpKernel.HANN, 0.40, 3.0).simulate(disk, N, N, new SplittableRandom(3)).rmsSigma();
        // quantum noise: std ~ 1/sqrt(dose) (electronic noise adds a little at the lower dose)
        assertEquals(2.0, s10 / s40, 0.1);
        CtProjectionNoise t = CtProjectionNoise.hounsfield(FbpKernel.RAMP, 1, 3.0).withTargetSigma(disk, N, N, 25);
        assertEquals(25, t.simulate(disk, N, N, new SplittableRandom(4)).rmsSigma(), 0.01);
    }

    @Test
    void referenceIsTheCleanSliceAndTheInputIsUntouched() {
        float[] disk = NoiseSimulatorChecks.waterDisk(N);
        float[] copy = disk.clone();
        NoiseRealization r = CtProjectionNoise.hounsfield(FbpKernel.HANN, 0.1, 1.0).simulate(disk, N, N, new SplittableRandom(5));
        assertArrayEquals(copy, disk);
        assertArrayEquals(copy, r.reference());
    }
}
