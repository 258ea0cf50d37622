package org.diffdenoise.noise;

/**
 * A measured noise level. For additive and Rician noise {@code sigma} is the (Gaussian) standard deviation and the
 * model is var = readSigma^2 with gain 0; for Poisson–Gaussian noise var = gain * max(x, 0) + readSigma^2 and
 * {@code sigma} is the root mean square of the noise standard deviation over the image.
 *
 * @param sigma     effective noise standard deviation, in the units of the image that was measured
 * @param gain      variance per unit of signal (0 for signal-independent noise)
 * @param readSigma signal-independent standard deviation
 * @param method    how it was measured, for reports
 */
public record NoiseEstimate(double sigma, double gain, double readSigma, String method) {

    /** The same estimate for an image normalized with {@code norm} (x_n = (x - low) / scale). */
    public NoiseEstimate normalized(RobustNormalization norm) {
        double s = norm.scale();
        // var = gain (x_n s + low) + read^2  ->  gain/s * x_n + (gain low + read^2) / s^2 in normalized units^2
        double g = gain / s;
        double r2 = Math.max(0, (gain * norm.low() + readSigma * readSigma) / (s * s));
        return new NoiseEstimate(sigma / s, g, Math.sqrt(r2), method);
    }

    /** Whether the noise depends on the signal. */
    public boolean signalDependent() {
        return gain > 0;
    }

    /** The noise standard deviation map of {@code y} (w x h) under this estimate, in the same units. */
    public float[] sigmaMap(float[] y, int w, int h) {
        if (signalDependent()) return SignalDependentSigma.map(y, w, h, gain, readSigma);
        float[] m = new float[y.length];
        java.util.Arrays.fill(m, (float) sigma);
        return m;
    }
}
