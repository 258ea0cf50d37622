package org.diffdenoise.noise;

import org.diffdenoise.image.StandardNormal;

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

    /** Draws a standard normal value ({@link StandardNormal}). */
    static double gaussian(SplittableRandom rng) {
        return StandardNormal.draw(rng);
    }
}
