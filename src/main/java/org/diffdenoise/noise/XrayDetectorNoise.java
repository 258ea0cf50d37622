package org.diffdenoise.noise;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Flat-panel X-ray noise. Physics: the clean image x (image units, proportional to detected quanta, gain units per
 * quantum) is a mean; the quanta fluctuate as Poisson, gain * Poisson(x / gain) - x, and the fluctuation is spread by
 * the scintillator's point-spread function (a normalized Gaussian of {@code psfSigma} pixels) before the pixels are
 * sampled; the electronics then add white Gaussian read noise. The signal itself is left sharp (the clean image is
 * taken to be the detector's noise-free output), so the reference keeps its resolution. The quantum noise is
 * correlated over the PSF; its variance is gain * (h^2 (*) x), where h^2 is the squared PSF (the blur lowers the
 * per-pixel variance by about 1 / (4 pi psfSigma^2)); the true sigma map is sqrt(gain (h^2 (*) max(x, 0)) + read^2).
 *
 * @param gain      image units per quantum (variance per unit of signal before the blur)
 * @param readSigma read-noise standard deviation (image units)
 * @param psfSigma  detector PSF standard deviation in pixels (0: no blur)
 */
public record XrayDetectorNoise(double gain, double readSigma, double psfSigma) implements NoiseSimulator {

    public XrayDetectorNoise {
        if (!(gain >= 0) || !(readSigma >= 0) || !(psfSigma >= 0) || psfSigma > 8)
            throw new IllegalArgumentException("invalid X-ray noise parameters: gain " + gain + ", read " + readSigma + ", psf " + psfSigma);
    }

    /**
     * A simulator whose noise map over {@code clean} has rms {@code sigma}, a fraction {@code readShare} of the
     * variance being read noise.
     */
    public static XrayDetectorNoise withTargetSigma(float[] clean, int w, int h, double sigma, double readShare, double psfSigma) {
        double[] k2 = squared(kernel(psfSigma));
        double m = mean(convolve(positive(clean), w, h, k2));
        double gain = m > 0 ? sigma * sigma * (1 - readShare) / m : 0;
        return new XrayDetectorNoise(gain, sigma * Math.sqrt(m > 0 ? readShare : 1), psfSigma);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "X-ray, detector PSF %.2g px", psfSigma);
    }

    @Override
    public NoiseRealization simulate(float[] clean, int w, int h, SplittableRandom rng) {
        if (clean.length != (long) w * h) throw new IllegalArgumentException("image has " + clean.length + " values, expected " + w + "x" + h);
        double[] x = positive(clean);
        double[] f = new double[x.length];
        if (gain > 0)
            for (int i = 0; i < x.length; i++) f[i] = gain * CtProjectionNoise.poisson(x[i] / gain, rng) - x[i];
        double[] k = kernel(psfSigma);
        double[] fb = convolve(f, w, h, k);
        double[] var = convolve(x, w, h, squared(k));
        float[] noisy = new float[x.length], map = new float[x.length];
        double r2 = readSigma * readSigma;
        for (int i = 0; i < x.length; i++) {
            noisy[i] = (float) (clean[i] + fb[i] + readSigma * NoiseModel.gaussian(rng));
            map[i] = (float) Math.sqrt(gain * var[i] + r2);
        }
        return new NoiseRealization(noisy, clean.clone(), map);
    }

    private static double[] positive(float[] v) {
        double[] x = new double[v.length];
        for (int i = 0; i < v.length; i++) x[i] = Float.isFinite(v[i]) ? Math.max(0, v[i]) : 0;
        return x;
    }

    /** Normalized 1D Gaussian taps, radius ceil(3 sigma); {1} for sigma 0. */
    static double[] kernel(double sigma) {
        if (sigma <= 0) return new double[] {1};
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        double s = 0;
        for (int i = -r; i <= r; i++) s += k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= s;
        return k;
    }

    private static double[] squared(double[] k) {
        double[] o = new double[k.length];
        for (int i = 0; i < k.length; i++) o[i] = k[i] * k[i];
        return o;
    }

    /** Separable convolution with mirrored borders (the 2D kernel is the outer product of k with itself). */
    static double[] convolve(double[] img, int w, int h, double[] k) {
        int r = k.length / 2;
        double[] tmp = new double[img.length], out = new double[img.length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int d = -r; d <= r; d++) s += k[d + r] * img[y * w + SignalDependentSigma.mirror(x + d, w)];
                tmp[y * w + x] = s;
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int d = -r; d <= r; d++) s += k[d + r] * tmp[SignalDependentSigma.mirror(y + d, h) * w + x];
                out[y * w + x] = s;
            }
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }
}
