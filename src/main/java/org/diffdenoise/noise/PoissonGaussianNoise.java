package org.diffdenoise.noise;

import java.util.SplittableRandom;

/**
 * Signal-dependent X-ray noise: variance = gain * max(x, 0) + readSigma^2 (the Gaussian approximation of
 * scaled Poisson photon noise plus electronic noise). A lower dose means a larger gain.
 *
 * @param gain      variance per unit of signal (image units)
 * @param readSigma standard deviation of the signal-independent part (image units)
 */
public record PoissonGaussianNoise(double gain, double readSigma) implements NoiseModel {

    public PoissonGaussianNoise {
        if (!(gain >= 0) || !(readSigma >= 0))
            throw new IllegalArgumentException("gain and readSigma must be >= 0: " + gain + ", " + readSigma);
    }

    @Override
    public float[] degrade(float[] clean, SplittableRandom rng) {
        float[] out = new float[clean.length];
        float[] s = sigmaMap(clean);
        for (int i = 0; i < clean.length; i++) out[i] = (float) (clean[i] + s[i] * NoiseModel.gaussian(rng));
        return out;
    }

    @Override
    public float[] sigmaMap(float[] clean) {
        float[] s = new float[clean.length];
        double r2 = readSigma * readSigma;
        for (int i = 0; i < clean.length; i++) s[i] = (float) Math.sqrt(gain * Math.max(clean[i], 0) + r2);
        return s;
    }
}
