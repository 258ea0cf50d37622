package org.diffdenoise.classical;

import org.diffdenoise.image.FloatImage;
import org.diffdenoise.noise.PoissonGaussianNoise;

/**
 * Wavelet shrinkage with BayesShrink (Chang, Yu and Vetterli, IEEE TIP 9(9), 2000) on the undecimated
 * (stationary, i.e. fully cycle-spun in the sense of Coifman and Donoho 1995) orthonormal 2D Haar transform,
 * 4 levels, periodic boundaries. Each detail subband is soft-thresholded at
 * T = strength * sigma^2 / sigma_X with sigma_X = sqrt(max(mean(c^2) - sigma^2, 0)); every coefficient of an
 * orthonormal filter carries noise of variance sigma^2. The inverse averages the four shifted block inverses
 * at each level, which is the exact inverse of the undecimated transform.
 */
public final class WaveletDenoiser extends ClassicalDenoiser {
    public static final int LEVELS = 4;

    public WaveletDenoiser(double thresholdFactor) {
        this(thresholdFactor, null);
    }

    private WaveletDenoiser(double s, PoissonGaussianNoise n) {
        super(s, n);
    }

    @Override public String id() { return "wavelet"; }
    @Override public String method() { return "BayesShrink soft thresholding, undecimated Haar (Chang et al. 2000)"; }
    @Override public String strengthMeaning() { return "threshold factor"; }
    @Override public ClassicalDenoiser withStrength(double s) { return new WaveletDenoiser(s, xrayNoise); }
    @Override public ClassicalDenoiser withXrayNoise(PoissonGaussianNoise n) { return new WaveletDenoiser(strength, n); }
    @Override public double[] tuningGrid() { return new double[] {0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0}; }

    @Override
    protected FloatImage denoiseGaussian(FloatImage slice, double sigma) {
        int w = slice.width(), h = slice.height(), n = w * h;
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = slice.data()[i];
        double[][][] details = new double[LEVELS][][];
        for (int j = 0; j < LEVELS; j++) {
            int s = 1 << j;
            double[] na = new double[n], hd = new double[n], vd = new double[n], dd = new double[n];
            for (int y = 0; y < h; y++) {
                int y1 = (y + s) % h;
                for (int x = 0; x < w; x++) {
                    int x1 = (x + s) % w;
                    double a00 = a[y * w + x], a10 = a[y * w + x1], a01 = a[y1 * w + x], a11 = a[y1 * w + x1];
                    int i = y * w + x;
                    na[i] = (a00 + a10 + a01 + a11) / 2;
                    hd[i] = (a00 - a10 + a01 - a11) / 2;
                    vd[i] = (a00 + a10 - a01 - a11) / 2;
                    dd[i] = (a00 - a10 - a01 + a11) / 2;
                }
            }
            details[j] = new double[][] {hd, vd, dd};
            for (double[] band : details[j]) shrink(band, sigma);
            a = na;
        }
        for (int j = LEVELS - 1; j >= 0; j--) {
            int s = 1 << j;
            double[] hd = details[j][0], vd = details[j][1], dd = details[j][2], out = new double[n];
            for (int y = 0; y < h; y++) {
                int ym = Math.floorMod(y - s, h);
                for (int x = 0; x < w; x++) {
                    int xm = Math.floorMod(x - s, w);
                    int p = y * w + x, px = y * w + xm, py = ym * w + x, pxy = ym * w + xm;
                    // pixel p is a00 of block p, a10 of block p-s*ex, a01 of block p-s*ey, a11 of block p-s*(ex+ey)
                    double r = (a[p] + hd[p] + vd[p] + dd[p])
                            + (a[px] - hd[px] + vd[px] - dd[px])
                            + (a[py] + hd[py] - vd[py] - dd[py])
                            + (a[pxy] - hd[pxy] - vd[pxy] + dd[pxy]);
                    out[p] = r / 8;
                }
            }
            a = out;
        }
        float[] res = new float[n];
        for (int i = 0; i < n; i++) res[i] = (float) a[i];
        return new FloatImage(w, h, res);
    }

    private void shrink(double[] band, double sigma) {
        double m2 = 0, maxAbs = 0;
        for (double c : band) { m2 += c * c; maxAbs = Math.max(maxAbs, Math.abs(c)); }
        m2 /= band.length;
        double sx = Math.sqrt(Math.max(m2 - sigma * sigma, 0));
        double t = sx == 0 ? maxAbs : strength * sigma * sigma / sx;
        for (int i = 0; i < band.length; i++) {
            double c = band[i], m = Math.abs(c) - t;
            band[i] = m > 0 ? Math.copySign(m, c) : 0;
        }
    }
}
