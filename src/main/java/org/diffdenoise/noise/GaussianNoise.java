package org.diffdenoise.noise;

import java.util.SplittableRandom;

/** Additive white Gaussian noise with a fixed standard deviation: the CT image-domain model. */
public record GaussianNoise(double sigma) implements NoiseModel {

    public GaussianNoise {
        if (!(sigma >= 0)) throw new IllegalArgumentException("sigma must be >= 0: " + sigma);
    }

    @Override
    public float[] degrade(float[] clean, SplittableRandom rng) {
        float[] out = new float[clean.length];
        for (int i = 0; i < clean.length; i++) out[i] = (float) (clean[i] + sigma * NoiseModel.gaussian(rng));
        return out;
    }

    @Override
    public float[] sigmaMap(float[] clean) {
        return NoiseModel.constantSigmaMap(clean.length, sigma);
    }
}
