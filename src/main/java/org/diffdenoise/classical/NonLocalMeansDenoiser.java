package org.diffdenoise.classical;

import org.diffdenoise.image.FloatImage;
import org.diffdenoise.noise.PoissonGaussianNoise;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Non-local means (Buades, Coll and Morel, CVPR 2005): each pixel becomes the weighted mean of the pixels in a
 * search window, weighted by exp(-max(d^2 - 2 sigma^2, 0) / h^2), where d^2 is the mean squared difference of the
 * patches around them; the centre pixel gets the largest weight of the others. Patch 7x7, search window 15x15,
 * h = strength * sigma. For each offset the patch distances of all pixels come from one box filter of the squared
 * difference image (running sums), and the offsets are split over the available cores.
 * <p>
 * For Rician MR the unbiased variant of Wiest-Daesslé et al. (MICCAI 2008) and Manjón et al. (Med Image Anal 2008)
 * is used: the same weights average the squared magnitudes, and the result is sqrt(max(NLM(y^2) - 2 sigma^2, 0)),
 * which removes the Rician bias in dark regions.
 */
public final class NonLocalMeansDenoiser extends ClassicalDenoiser {
    public static final int PATCH_RADIUS = 3, SEARCH_RADIUS = 7;
    private final boolean ricianCorrection;

    public NonLocalMeansDenoiser(double hOverSigma) {
        this(hOverSigma, null, true);
    }

    private NonLocalMeansDenoiser(double s, PoissonGaussianNoise n, boolean rician) {
        super(s, n);
        this.ricianCorrection = rician;
    }

    /** A copy with the Rician bias correction switched on or off (off only for comparison). */
    public NonLocalMeansDenoiser withRicianCorrection(boolean on) {
        return new NonLocalMeansDenoiser(strength, xrayNoise, on);
    }

    @Override public String id() { return "nlm"; }
    @Override public String method() { return "non-local means (Buades et al. 2005; Rician: Manjon et al. 2008)"; }
    @Override public String strengthMeaning() { return "h/sigma"; }
    @Override public ClassicalDenoiser withStrength(double s) { return new NonLocalMeansDenoiser(s, xrayNoise, ricianCorrection); }
    @Override public ClassicalDenoiser withXrayNoise(PoissonGaussianNoise n) { return new NonLocalMeansDenoiser(strength, n, ricianCorrection); }
    @Override public double[] tuningGrid() { return new double[] {0.4, 0.55, 0.7, 0.85, 1.0, 1.2, 1.5}; }

    @Override
    protected FloatImage denoiseGaussian(FloatImage slice, double sigma) {
        return filter(slice, sigma, false);
    }

    @Override
    protected FloatImage denoiseRician(FloatImage slice, double sigma) {
        return filter(slice, sigma, ricianCorrection);
    }

    private FloatImage filter(FloatImage slice, double sigma, boolean squared) {
        final int w = slice.width(), h = slice.height(), pr = PATCH_RADIUS, sr = SEARCH_RADIUS, pad = pr + sr;
        final int pw = w + 2 * pad, ph = h + 2 * pad;
        final float[] u = new float[pw * ph];
        for (int y = 0; y < ph; y++)
            for (int x = 0; x < pw; x++) u[y * pw + x] = slice.data()[reflect(y - pad, h) * w + reflect(x - pad, w)];
        final double hh = Math.max(strength * sigma, 1e-12);
        final double invH2 = 1.0 / (hh * hh), twoSigma2 = 2 * sigma * sigma;
        final double patchArea = (2 * pr + 1) * (2 * pr + 1);
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
        int offsets = (2 * sr + 1) * (2 * sr + 1);
        double[][] sumW = new double[threads][], sumWV = new double[threads][], maxW = new double[threads][];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Future<?>[] fs = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                final int tid = t, nt = threads;
                sumW[t] = new double[w * h];
                sumWV[t] = new double[w * h];
                maxW[t] = new double[w * h];
                fs[t] = pool.submit(() -> {
                    int rw = w + 2 * pr, rh = h + 2 * pr;
                    double[] diff = new double[rw * rh], rows = new double[w * rh];
                    for (int k = tid; k < offsets; k += nt) {
                        int dx = k % (2 * sr + 1) - sr, dy = k / (2 * sr + 1) - sr;
                        if (dx == 0 && dy == 0) continue;
                        for (int y = 0; y < rh; y++) {
                            int base = (y + pad - pr) * pw + pad - pr;
                            int shifted = base + dy * pw + dx;
                            for (int x = 0; x < rw; x++) {
                                double d = u[base + x] - u[shifted + x];
                                diff[y * rw + x] = d * d;
                            }
                        }
                        boxRows(diff, rw, rh, pr, rows, w);
                        double[] sw = sumW[tid], swv = sumWV[tid], mw = maxW[tid];
                        for (int x = 0; x < w; x++) {
                            double s = 0;
                            for (int y = 0; y < 2 * pr + 1; y++) s += rows[y * w + x];
                            for (int y = 0; y < h; y++) {
                                if (y > 0) s += rows[(y + 2 * pr) * w + x] - rows[(y - 1) * w + x];
                                double d2 = s / patchArea;
                                double wt = Math.exp(-Math.max(d2 - twoSigma2, 0) * invH2);
                                float v = u[(y + pad + dy) * pw + x + pad + dx];
                                int i = y * w + x;
                                sw[i] += wt;
                                swv[i] += wt * (squared ? (double) v * v : v);
                                if (wt > mw[i]) mw[i] = wt;
                            }
                        }
                    }
                });
            }
            for (Future<?> f : fs) f.get();
        } catch (Exception e) {
            throw new IllegalStateException("non-local means failed: " + e.getMessage(), e);
        } finally {
            pool.shutdown();
        }
        float[] out = new float[w * h];
        for (int i = 0; i < w * h; i++) {
            double sw = 0, swv = 0, mw = 0;
            for (int t = 0; t < threads; t++) { sw += sumW[t][i]; swv += sumWV[t][i]; mw = Math.max(mw, maxW[t][i]); }
            if (mw == 0) mw = 1; // no similar patch anywhere: keep the pixel itself
            double c = slice.data()[i];
            sw += mw;
            swv += mw * (squared ? c * c : c);
            double m = swv / sw;
            out[i] = (float) (squared ? Math.sqrt(Math.max(m - 2 * sigma * sigma, 0)) : m);
        }
        return new FloatImage(w, h, out);
    }

    /** Horizontal running sums of width 2r+1: rows (outW x rh) from diff (rw x rh), rw = outW + 2r. */
    private static void boxRows(double[] diff, int rw, int rh, int r, double[] rows, int outW) {
        for (int y = 0; y < rh; y++) {
            int o = y * rw;
            double s = 0;
            for (int x = 0; x < 2 * r + 1; x++) s += diff[o + x];
            rows[y * outW] = s;
            for (int x = 1; x < outW; x++) {
                s += diff[o + x + 2 * r] - diff[o + x - 1];
                rows[y * outW + x] = s;
            }
        }
    }

    static int reflect(int i, int n) {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        i = Math.floorMod(i, period);
        return i < n ? i : period - i;
    }
}
