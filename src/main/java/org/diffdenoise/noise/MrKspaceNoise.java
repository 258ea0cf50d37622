package org.diffdenoise.noise;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * MR noise made where the scanner makes it, in k-space. Physics: the clean magnitude image is seen by
 * {@code coils} receive coils with smooth complex sensitivities S_c (Gaussian profiles around the field of view,
 * random linear phase, normalized so that sum |S_c|^2 = 1: the root-sum-of-squares of the noise-free coil images is
 * the clean image). Each coil's k-space gets white complex Gaussian noise (independent coils); only a central block of
 * k-space, 1/{@code zeroFill} of each axis, is acquired, and the rest is zero-filled before the inverse FFT (zero-fill
 * interpolation: the noise becomes correlated over about {@code zeroFill} pixels). Parallel imaging at acceleration
 * R is modelled by its effect on the image: the coil noise is multiplied by a smooth g-factor map g(x) in [1, g_max(R)]
 * (g_max = 1 + 0.35 (R - 1)^1.5: about 1.35, 2.0 and 2.8 at R = 2, 3, 4; the sqrt(R) of the shorter scan is part of
 * {@code sigma}). The image is the magnitude (one coil: Rician) or the root-sum-of-squares over coils (noncentral chi
 * with 2 x coils degrees of freedom: in air its mean is about sigma sqrt(2 coils - 1/2), a bias a denoiser must
 * remove).
 *
 * <p>{@code sigma} is the per-component standard deviation of each coil's image-domain noise at g = 1 (the k-space
 * noise is scaled for the kept fraction so that zero-filling does not change it), which is also the standard
 * deviation of the combined magnitude where the signal is well above the noise; the true sigma map is sigma g(x).
 * The reference is the root-sum-of-squares of the noise-free coil images at the acquired resolution (zero-filled the
 * same way), so a denoiser is not asked to restore resolution that was never measured.
 *
 * @param sigma        noise standard deviation (image units) at g = 1
 * @param zeroFill     matrix interpolation factor, 1 to 2 (1: all of k-space acquired)
 * @param coils        receive coils, 1 (Rician) to 32
 * @param acceleration parallel-imaging acceleration R, 1 (none) to 4
 */
public record MrKspaceNoise(double sigma, double zeroFill, int coils, double acceleration) implements NoiseSimulator {

    public MrKspaceNoise {
        if (!(sigma >= 0) || !(zeroFill >= 1 && zeroFill <= 4) || coils < 1 || coils > 64 || !(acceleration >= 1 && acceleration <= 8))
            throw new IllegalArgumentException(String.format(Locale.ROOT, "invalid MR noise parameters: sigma %g, zero-fill %g, coils %d, R %g",
                    sigma, zeroFill, coils, acceleration));
    }

    /** Largest g-factor of the map at this acceleration. */
    public double maxGFactor() {
        return 1 + 0.35 * Math.pow(acceleration - 1, 1.5);
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("MR");
        sb.append(coils == 1 ? " single coil" : " " + coils + " coils RSS");
        if (zeroFill > 1) sb.append(String.format(Locale.ROOT, ", zero-filled %.2gx", zeroFill));
        if (acceleration > 1) sb.append(String.format(Locale.ROOT, ", g-factor R=%.2g", acceleration));
        return sb.toString();
    }

    @Override
    public NoiseRealization simulate(float[] clean, int w, int h, SplittableRandom rng) {
        return simulate(clean, w, h, new SplittableRandom(rng.nextLong()), rng);
    }

    /**
     * Draws the g-factor map and coil sensitivities from {@code maps} and the noise from {@code rng}: slices of one
     * series share their coils and g-factor map when they get equal {@code maps} generators.
     */
    public NoiseRealization simulate(float[] clean, int w, int h, SplittableRandom maps, SplittableRandom rng) {
        if (clean.length != (long) w * h) throw new IllegalArgumentException("image has " + clean.length + " values, expected " + w + "x" + h);
        int n = w * h;
        boolean[] keepX = keptBand(w), keepY = keptBand(h);
        int kept = count(keepX) * count(keepY);
        boolean lowPass = kept < n;
        // per-component k-space noise so that each image-domain component has std sigma after zero-filling
        double a = sigma * Math.sqrt((double) n * n / kept);
        float[] g = gFactorMap(w, h, maps);
        double[][] sens = coils == 1 ? null : sensitivities(w, h, maps);
        double[] sumSig = new double[n], sumNoisy = new double[n];
        double[] re = new double[n], im = new double[n];
        for (int c = 0; c < coils; c++) {
            // noise-free coil image at the acquired resolution
            for (int i = 0; i < n; i++) {
                double v = Float.isFinite(clean[i]) ? clean[i] : 0;
                re[i] = sens == null ? v : v * sens[2 * c][i];
                im[i] = sens == null ? 0 : v * sens[2 * c + 1][i];
            }
            if (lowPass) {
                Fft.transform2d(re, im, w, h, false);
                mask(re, im, keepX, keepY, w, h);
                Fft.transform2d(re, im, w, h, true);
            }
            double[] nr = new double[n], ni = new double[n];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    if (!keepX[x] || !keepY[y]) continue;
                    nr[y * w + x] = a * NoiseModel.gaussian(rng);
                    ni[y * w + x] = a * NoiseModel.gaussian(rng);
                }
            Fft.transform2d(nr, ni, w, h, true);
            for (int i = 0; i < n; i++) {
                double sr = re[i], si = im[i];
                double xr = sr + g[i] * nr[i], xi = si + g[i] * ni[i];
                sumSig[i] += sr * sr + si * si;
                sumNoisy[i] += xr * xr + xi * xi;
            }
        }
        float[] noisy = new float[n], ref = new float[n], map = new float[n];
        for (int i = 0; i < n; i++) {
            noisy[i] = (float) Math.sqrt(sumNoisy[i]);
            ref[i] = (float) Math.sqrt(sumSig[i]);
            map[i] = (float) (sigma * g[i]);
        }
        return new NoiseRealization(noisy, ref, map);
    }

    // the central 1/zeroFill of the frequencies of an n-point axis
    private boolean[] keptBand(int n) {
        boolean[] keep = new boolean[n];
        int half = (int) Math.floor(n / (2 * zeroFill));
        for (int k = 0; k < n; k++) keep[k] = zeroFill <= 1 || Math.abs(Fft.signedIndex(k, n)) <= half;
        return keep;
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean v : b) if (v) c++;
        return c;
    }

    private static void mask(double[] re, double[] im, boolean[] kx, boolean[] ky, int w, int h) {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (!kx[x] || !ky[y]) {
                    re[y * w + x] = 0;
                    im[y * w + x] = 0;
                }
    }

    /** A smooth g-factor map in [1, g_max]: three random Gaussian bumps, rescaled; all ones at R = 1. */
    float[] gFactorMap(int w, int h, SplittableRandom rng) {
        float[] g = new float[w * h];
        java.util.Arrays.fill(g, 1f);
        if (acceleration <= 1) return g;
        double s = Math.max(w, h);
        double[][] bumps = new double[3][];
        for (int b = 0; b < 3; b++)
            bumps[b] = new double[] {w * (0.2 + 0.6 * rng.nextDouble()), h * (0.2 + 0.6 * rng.nextDouble()),
                    s * (0.2 + 0.2 * rng.nextDouble()), 0.5 + 0.5 * rng.nextDouble()};
        double[] v = new double[w * h];
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double t = 0;
                for (double[] b : bumps) t += b[3] * Math.exp(-((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1])) / (2 * b[2] * b[2]));
                v[y * w + x] = t;
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
        double gmax = maxGFactor();
        for (int i = 0; i < g.length; i++) g[i] = (float) (1 + (gmax - 1) * (v[i] - lo) / Math.max(1e-12, hi - lo));
        return g;
    }

    /** Coil sensitivities [2c] real and [2c+1] imaginary parts, normalized to sum |S|^2 = 1 at every pixel. */
    private double[][] sensitivities(int w, int h, SplittableRandom rng) {
        double[][] s = new double[2 * coils][w * h];
        double r = 0.55 * Math.max(w, h), width = 0.45 * Math.max(w, h), rot = 2 * Math.PI * rng.nextDouble();
        double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
        double[] sum = new double[w * h];
        for (int c = 0; c < coils; c++) {
            double ang = rot + 2 * Math.PI * c / coils;
            double px = cx + r * Math.cos(ang), py = cy + r * Math.sin(ang);
            double phx = (rng.nextDouble() - 0.5) * 4 * Math.PI / w, phy = (rng.nextDouble() - 0.5) * 4 * Math.PI / h,
                    ph0 = 2 * Math.PI * rng.nextDouble();
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    double mag = Math.exp(-((x - px) * (x - px) + (y - py) * (y - py)) / (2 * width * width));
                    double ph = ph0 + phx * x + phy * y;
                    s[2 * c][i] = mag * Math.cos(ph);
                    s[2 * c + 1][i] = mag * Math.sin(ph);
                    sum[i] += mag * mag;
                }
        }
        for (int i = 0; i < w * h; i++) {
            double k = 1 / Math.sqrt(sum[i]);
            for (int c = 0; c < 2 * coils; c++) s[c][i] *= k;
        }
        return s;
    }
}
