package org.diffdenoise.image;

/**
 * Full-reference image quality metrics. The data range L is always max - min of the reference, so that PSNR and
 * SSIM mean the same thing for 8-bit photos, Hounsfield units and arbitrary MR units.
 */
public final class ImageMetrics {

    /** SSIM constants and window of Wang et al. 2004 (IEEE TIP 13(4)): K1, K2, Gaussian sigma, window 11x11. */
    public static final double K1 = 0.01, K2 = 0.03, SSIM_SIGMA = 1.5;
    public static final int SSIM_WINDOW = 11;

    private ImageMetrics() {
    }

    public static double mse(FloatImage ref, FloatImage test) {
        check(ref, test);
        double s = 0;
        float[] a = ref.data(), b = test.data();
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return s / a.length;
    }

    /** PSNR in dB with L = range of the reference; +Infinity when identical. */
    public static double psnr(FloatImage ref, FloatImage test) {
        double mse = mse(ref, test);
        double l = ref.range();
        if (mse == 0) return Double.POSITIVE_INFINITY;
        return 10 * Math.log10(l * l / mse);
    }

    /**
     * Mean SSIM of Wang et al. 2004: local means, variances and covariance under an 11x11 Gaussian window
     * (sigma 1.5, weights normalized to 1, population moments), C1 = (K1 L)^2, C2 = (K2 L)^2, averaged over every
     * window that lies fully inside the image (same as scikit-image with gaussian_weights=True,
     * use_sample_covariance=False).
     */
    public static double ssim(FloatImage ref, FloatImage test) {
        check(ref, test);
        int w = ref.width(), h = ref.height(), r = SSIM_WINDOW / 2;
        if (w < SSIM_WINDOW || h < SSIM_WINDOW)
            throw new IllegalArgumentException("SSIM needs at least " + SSIM_WINDOW + "x" + SSIM_WINDOW + " pixels, got " + w + "x" + h);
        double[] g = gaussianKernel(SSIM_SIGMA, r);
        double l = ref.range();
        double c1 = (K1 * l) * (K1 * l), c2 = (K2 * l) * (K2 * l);
        float[] x = ref.data(), y = test.data();
        int vw = w - 2 * r, vh = h - 2 * r;
        // Separable filtering: rows first (over the valid x range), then columns.
        double[][] rows = new double[5][vw * h];
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < vw; xx++) {
                double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
                for (int k = -r; k <= r; k++) {
                    int i = yy * w + xx + r + k;
                    double a = x[i], b = y[i], wk = g[k + r];
                    mx += wk * a; my += wk * b; mxx += wk * a * a; myy += wk * b * b; mxy += wk * a * b;
                }
                int o = yy * vw + xx;
                rows[0][o] = mx; rows[1][o] = my; rows[2][o] = mxx; rows[3][o] = myy; rows[4][o] = mxy;
            }
        }
        double sum = 0;
        for (int yy = 0; yy < vh; yy++) {
            for (int xx = 0; xx < vw; xx++) {
                double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
                for (int k = -r; k <= r; k++) {
                    int o = (yy + r + k) * vw + xx;
                    double wk = g[k + r];
                    mx += wk * rows[0][o]; my += wk * rows[1][o]; mxx += wk * rows[2][o];
                    myy += wk * rows[3][o]; mxy += wk * rows[4][o];
                }
                double vx = mxx - mx * mx, vy = myy - my * my, cxy = mxy - mx * my;
                sum += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
            }
        }
        return sum / ((double) vw * vh);
    }

    /**
     * Residual structure: Pearson correlation between the method noise |noisy - denoised| and the gradient magnitude
     * (central differences) of the clean reference. Near 0 when the filter removed only noise; large when it took
     * edges away with the noise.
     */
    public static double residualEdgeCorrelation(FloatImage clean, FloatImage noisy, FloatImage denoised) {
        check(clean, noisy);
        check(clean, denoised);
        float[] grad = gradientMagnitude(clean);
        float[] res = new float[grad.length];
        for (int i = 0; i < res.length; i++) res[i] = Math.abs(noisy.data()[i] - denoised.data()[i]);
        return pearson(res, grad);
    }

    /** Central-difference gradient magnitude (one-sided at the border). */
    public static float[] gradientMagnitude(FloatImage im) {
        int w = im.width(), h = im.height();
        float[] d = im.data(), out = new float[d.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int xm = Math.max(x - 1, 0), xp = Math.min(x + 1, w - 1), ym = Math.max(y - 1, 0), yp = Math.min(y + 1, h - 1);
                double gx = (d[y * w + xp] - d[y * w + xm]) / (double) Math.max(xp - xm, 1);
                double gy = (d[yp * w + x] - d[ym * w + x]) / (double) Math.max(yp - ym, 1);
                out[y * w + x] = (float) Math.sqrt(gx * gx + gy * gy);
            }
        }
        return out;
    }

    /** Root mean square of {@code v} (0 for no values). */
    public static double rms(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return v.length == 0 ? 0 : Math.sqrt(s / v.length);
    }

    public static double pearson(float[] a, float[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.length; mb /= b.length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db; saa += da * da; sbb += db * db;
        }
        if (saa == 0 || sbb == 0) return 0;
        return sab / Math.sqrt(saa * sbb);
    }

    /** Normalized 1D Gaussian weights for offsets -r..r. */
    static double[] gaussianKernel(double sigma, int r) {
        double[] g = new double[2 * r + 1];
        double s = 0;
        for (int k = -r; k <= r; k++) s += g[k + r] = Math.exp(-(k * k) / (2 * sigma * sigma));
        for (int k = 0; k < g.length; k++) g[k] /= s;
        return g;
    }

    private static void check(FloatImage a, FloatImage b) {
        if (a.width() != b.width() || a.height() != b.height())
            throw new IllegalArgumentException("images differ in size: " + a.width() + "x" + a.height() + " vs " + b.width() + "x" + b.height());
    }
}
