package org.diffdenoise.noise;

import java.util.SplittableRandom;

/**
 * A physical noise simulator for a 2D slice: unlike {@link NoiseModel} it knows the image geometry, so it can make
 * spatially correlated and spatially varying noise (CT reconstruction kernels, MR k-space, detector blur).
 */
public interface NoiseSimulator {

    /** Degrades {@code clean} (w x h, row-major), drawing from {@code rng}; the input is not modified. */
    NoiseRealization simulate(float[] clean, int w, int h, SplittableRandom rng);

    /** A short description for reports, e.g. "CT Hann 10 % dose". */
    String describe();
}
