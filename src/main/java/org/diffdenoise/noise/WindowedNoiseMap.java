package org.diffdenoise.noise;

import java.util.Arrays;

/**
 * Per-window Haar scale variances of a slice: v[j][window] (NaN where a window has too few usable blocks) and the
 * total per-pixel variance they imply ({@link CorrelationCorrection#total}), on a gx x gy grid of windows of
 * {@value #WINDOW_PX} pixels at stride {@value #STRIDE_PX}; and the window-grid operations that turn them into a map
 * (3x3 median smoothing, a significance test of their spread, bilinear interpolation to pixels).
 */
record WindowedNoiseMap(int gx, int gy, double[][] v, double[] total) {
    /** Window edge (pixels) and stride of the local measurements. */
    static final int WINDOW_PX = 64, STRIDE_PX = 32;
    /** Share of a window's candidate blocks kept as the smoothest. */
    static final double SMOOTH_SHARE = 0.3;

    int count() {
        return gx * gy;
    }

    int valid() {
        int n = 0;
        for (double t : total) if (!Double.isNaN(t)) n++;
        return n;
    }

    double medianTotal() {
        return median(total);
    }

    /**
     * Measures the windows: per scale, the squared MAD of HH over the smoothest {@value #SMOOTH_SHARE} of a window's
     * valid blocks with mean at least {@code minMean}.
     */
    static WindowedNoiseMap measure(HaarScale[] scales, int w, int h, double minMean) {
        int size = Math.min(WINDOW_PX, Math.min(w, h)), stride = Math.min(STRIDE_PX, size);
        int gx = (w - size) / stride + 1, gy = (h - size) / stride + 1;
        int nj = scales.length;
        double[][] v = new double[nj][gx * gy];
        double[] total = new double[gx * gy];
        float[] hh = new float[size * size], det = new float[size * size], scratch = new float[size * size], sel = new float[size * size];
        for (int wy = 0; wy < gy; wy++)
            for (int wx = 0; wx < gx; wx++) {
                int wi = wy * gx + wx;
                boolean ok = true;
                for (int j = 0; j < nj && ok; j++) {
                    HaarScale s = scales[j];
                    // arrays in locals: the first slice runs this loop interpreted, where each accessor call costs
                    boolean[] valid = s.valid();
                    float[] mean = s.mean(), shh = s.hh(), sdet = s.detail();
                    int bw = s.bw();
                    int bs = 1 << (j + 1);
                    int x0 = wx * stride / bs, y0 = wy * stride / bs, x1 = Math.min(s.bw(), (wx * stride + size) / bs),
                            y1 = Math.min(s.bh(), (wy * stride + size) / bs);
                    int k = 0;
                    for (int y = y0; y < y1; y++)
                        for (int x = x0; x < x1; x++) {
                            int i = y * bw + x;
                            if (!valid[i] || mean[i] < minMean) continue;
                            hh[k] = Math.abs(shh[i]);
                            det[k] = sdet[i];
                            k++;
                        }
                    int need = Math.max(8, (x1 - x0) * (y1 - y0) / 4);
                    if (k < need) {
                        ok = false;
                        break;
                    }
                    // the smoothest share by LH^2 + HL^2 (independent of HH for stationary Gaussian noise)
                    System.arraycopy(det, 0, scratch, 0, k);
                    double cut = OrderStatistics.selectInPlace(scratch, k, (int) (SMOOTH_SHARE * (k - 1)));
                    int m = 0;
                    for (int i = 0; i < k; i++) if (det[i] <= cut) sel[m++] = hh[i];
                    double sd = OrderStatistics.medianInPlace(sel, m) / NoiseLevelEstimator.MAD_NORMAL;
                    v[j][wi] = sd * sd;
                }
                if (!ok) {
                    for (int j = 0; j < nj; j++) v[j][wi] = Double.NaN;
                    total[wi] = Double.NaN;
                    continue;
                }
                double[] vv = new double[nj];
                for (int j = 0; j < nj; j++) vv[j] = v[j][wi];
                total[wi] = CorrelationCorrection.total(vv);
            }
        return new WindowedNoiseMap(gx, gy, v, total);
    }

    /** Whether {@link #measure} keeps the same blocks for the two {@code minMean}s: no valid block mean lies between them. */
    static boolean sameBlocks(HaarScale[] scales, double minMeanA, double minMeanB) {
        if (Double.compare(minMeanA, minMeanB) == 0) return true;
        if (!(minMeanA == minMeanA && minMeanB == minMeanB)) return false; // NaN: not comparable
        double lo = Math.min(minMeanA, minMeanB), hi = Math.max(minMeanA, minMeanB);
        for (HaarScale s : scales) {
            float[] mean = s.mean();
            boolean[] valid = s.valid();
            for (int i = 0; i < mean.length; i++) if (valid[i] && mean[i] >= lo && mean[i] < hi) return false;
        }
        return true;
    }

    /** Median of the finite values (NaN when none). */
    static double median(double[] x) {
        double[] f = new double[x.length];
        int n = 0;
        for (double v : x) if (Double.isFinite(v)) f[n++] = v;
        if (n == 0) return Double.NaN;
        return OrderStatistics.medianInPlace(f, n);
    }

    /** 3x3 median of the finite window values; windows with none take the median of all. */
    static double[] smooth(double[] x, int gx, int gy) {
        double all = median(x);
        double[] out = new double[x.length];
        double[] nb = new double[9];
        for (int y = 0; y < gy; y++)
            for (int xx = 0; xx < gx; xx++) {
                int k = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy, x2 = xx + dx;
                        if (yy < 0 || yy >= gy || x2 < 0 || x2 >= gx) continue;
                        double v = x[yy * gx + x2];
                        if (Double.isFinite(v)) nb[k++] = v;
                    }
                out[y * gx + xx] = k == 0 ? all : median(Arrays.copyOf(nb, k));
            }
        return out;
    }

    /**
     * Whether per-window levels measured on scale {@code js} spread well beyond their sampling error (about
     * 1.17 / sqrt(blocks) relative).
     */
    static boolean significantSpread(double[] local, int js) {
        double[] f = Arrays.stream(local).filter(Double::isFinite).toArray();
        if (f.length < 4) return false;
        double mean = Arrays.stream(f).average().orElse(0), var = 0;
        for (double v : f) var += (v - mean) * (v - mean);
        var /= f.length - 1;
        int blocks = Math.max(8, (int) (SMOOTH_SHARE * Math.pow(WINDOW_PX >> (js + 1), 2)));
        double se = 1.17 / Math.sqrt(blocks) * mean;
        return var > 2 * se * se + Math.pow(0.03 * mean, 2);
    }

    /** Bilinear interpolation of the window grid to pixels (window centres), times {@code scale}. */
    static float[] interpolate(double[] g, int gx, int gy, int w, int h, double scale) {
        int size = Math.min(WINDOW_PX, Math.min(w, h)), stride = Math.min(STRIDE_PX, size);
        double c0 = size / 2.0 - 0.5;
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            double fy = Math.max(0, Math.min(gy - 1, (y - c0) / stride));
            int y0 = Math.min(gy - 1, (int) fy), y1 = Math.min(gy - 1, y0 + 1);
            double ay = fy - y0;
            for (int x = 0; x < w; x++) {
                double fx = Math.max(0, Math.min(gx - 1, (x - c0) / stride));
                int x0 = Math.min(gx - 1, (int) fx), x1 = Math.min(gx - 1, x0 + 1);
                double ax = fx - x0;
                double top = (1 - ax) * g[y0 * gx + x0] + ax * g[y0 * gx + x1];
                double bot = (1 - ax) * g[y1 * gx + x0] + ax * g[y1 * gx + x1];
                out[y * w + x] = (float) (scale * ((1 - ay) * top + ay * bot));
            }
        }
        return out;
    }
}
