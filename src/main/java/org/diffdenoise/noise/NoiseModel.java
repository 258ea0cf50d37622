package org.diffdenoise.noise;

import java.util.SplittableRandom;

/** A way to degrade a clean image with a modality's noise; used for training data and benchmarks. */
public interface NoiseModel {

    /** Returns a noisy copy of {@code clean} (same units), drawing from {@code rng}. */
    float[] degrade(float[] clean, SplittableRandom rng);

    /**
     * The noise standard deviation at each pixel of the clean image, in the image's units
     * (for Rician noise, the sigma of the underlying Gaussian in each channel).
     */
    float[] sigmaMap(float[] clean);

    /** A sigma map with the same value everywhere, for noise whose level does not depend on the signal. */
    static float[] constantSigmaMap(int length, double sigma) {
        float[] s = new float[length];
        java.util.Arrays.fill(s, (float) sigma);
        return s;
    }

    /** Draws a standard normal value (Box–Muller; SplittableRandom has no nextGaussian). */
    static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        if (u1 < 1e-300) u1 = 1e-300;
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
