package org.diffdenoise.noise;

import java.util.SplittableRandom;

/**
 * Rician noise of MR magnitude images: |x + sigma (n1 + i n2)|. Where the signal is zero the result follows a
 * Rayleigh distribution with mean sigma * sqrt(pi / 2), the bias a denoiser must remove.
 */
public record RicianNoise(double sigma) implements NoiseModel {

    public RicianNoise {
        if (!(sigma >= 0)) throw new IllegalArgumentException("sigma must be >= 0: " + sigma);
    }

    @Override
    public float[] degrade(float[] clean, SplittableRandom rng) {
        float[] out = new float[clean.length];
        for (int i = 0; i < clean.length; i++) {
            double re = clean[i] + sigma * NoiseModel.gaussian(rng);
            double im = sigma * NoiseModel.gaussian(rng);
            out[i] = (float) Math.sqrt(re * re + im * im);
        }
        return out;
    }

    @Override
    public float[] sigmaMap(float[] clean) {
        return NoiseModel.constantSigmaMap(clean.length, sigma);
    }
}
