package org.diffdenoise.noise;

import java.util.Arrays;
import java.util.Locale;

import org.diffdenoise.api.NoiseFamily;

/**
 * Estimates a slice's noise as a per-pixel level map plus a description of its spatial correlation, so that
 * correlated noise (CT kernels, zero-filled MR, detector blur) and spatially varying noise (parallel-imaging g-factor,
 * signal-dependent X-ray noise) are measured at their true per-pixel standard deviation.
 *
 * <p>Why: {@link NoiseLevelEstimator} reads the finest Haar scale only, which holds all of white noise but only part of
 * correlated noise (a third of it for a Hann-filtered CT slice). Here the orthonormal Haar transform is taken over
 * several scales: for stationary noise the per-pixel variance is the sum over scales j of 3 4^-j v_j (v_j the variance
 * of a scale-j detail coefficient, three orientations per scale) plus the coarsest remainder, extrapolated as 4^-J v_J.
 * Each v_j is the squared MAD of the diagonal detail HH_j (blind to linear ramps; the noise is taken as isotropic)
 * over the smoother half of the blocks (those whose LH^2 + HL^2 lies below the median; for stationary Gaussian noise
 * HH is independent of LH and HL, so the selection does not bias it). For MR magnitude only foreground blocks count
 * (block mean at least {@value #FOREGROUND_SNR} sigma above the 5th percentile of block means, which is where air sits
 * for one coil or many). The shares 3 4^-j v_j / total are the correlation descriptor (a coarse noise power spectrum).
 *
 * <p>Where the total agrees with the white-noise estimator within {@value #WHITE_TOLERANCE} (white noise), that
 * estimator's value is kept, so white noise is measured exactly as before. The map: for Poisson-Gaussian noise the
 * white estimator's gain/read fit (its sigma map sqrt(gain box5(y) + read^2)) scaled by the ratio of the multi-scale
 * total to the finest-scale variance; for the other families a local level relative to the global one, measured on the
 * scale that carries most of the noise in windows of 16 x 16 blocks (stride 8), kept only when its spread over the
 * windows is well beyond what the windows' own sampling error explains, smoothed and interpolated bilinearly.
 */
public final class NoiseFieldEstimator {

    /** Relative agreement under which the white-noise estimator's value is kept. */
    public static final double WHITE_TOLERANCE = 0.10;
    /** MR foreground: block mean at least this many sigmas above the air level. */
    static final double FOREGROUND_SNR = 5;
    /** Window edge of the local map, in blocks of the scale used. */
    static final int WINDOW = 16;
    /** Fewest blocks a window must hold to count. */
    static final int WINDOW_MIN = 24;

    private NoiseFieldEstimator() {
    }

    /** One scale's Haar coefficients: block grid bw x bh, HH, LH^2 + HL^2, block pixel mean, validity. */
    record Scale(int level, int bw, int bh, float[] hh, float[] detail, float[] mean, boolean[] valid) {
    }

    /** Scale-2/scale-1 diagonal-variance ratio from which noise counts as correlated (texture of real images at low
     * noise reaches about 2; the simulators' correlated noise 3.2-18). */
    static final double CORRELATED_RATIO = 3;
    /** Window edge (pixels) and stride of the local measurements. */
    static final int WINDOW_PX = 64, STRIDE_PX = 32;

    /** Estimates the noise field of {@code img} (w x h, row-major, modality units) for a noise family. */
    public static NoiseField estimate(float[] img, int w, int h, NoiseFamily family) {
        NoiseEstimate base = NoiseLevelEstimator.estimate(img, w, h, family);
        if (base.sigma() == 0) return constant(w, h, base, new double[0], 1, base.method());
        int levels = Math.min(w, h) >= 128 ? 3 : 2;
        Scale[] scales = pyramid(img, w, h, levels);
        if (scales.length < 2) return constant(w, h, base, new double[0], 1, base.method() + "; too small for the multi-scale measure");
        boolean mr = family == NoiseFamily.RICIAN_MR;
        double airLevel = mr ? airLevel(scales[1]) : 0;
        // no air in the slice (the 5th percentile is tissue): the foreground threshold starts from zero
        if (airLevel > 10 * base.sigma()) airLevel = 0;
        Windows win = null;
        double guess = base.sigma();
        for (int it = 0; it < (mr ? 3 : 1); it++) {
            win = windows(scales, w, h, mr ? airLevel + FOREGROUND_SNR * guess : Double.NEGATIVE_INFINITY);
            if (win.valid() < 1) break;
            guess = Math.sqrt(win.medianTotal());
        }
        if (win == null || win.valid() < 1) return constant(w, h, base, new double[0], 1, base.method() + "; too few blocks for the multi-scale measure");
        int nj = scales.length;
        // the noise's shape is taken as the same everywhere: per-window shares of each scale, median over windows
        double[] shares = new double[nj + 1];
        for (int j = 0; j < nj; j++) shares[j] = win.medianShare(j);
        double sumShares = 0;
        for (int j = 0; j < nj; j++) sumShares += shares[j];
        shares[nj] = Math.max(0, 1 - sumShares);
        int js = 0;
        for (int j = 1; j < nj; j++) if (shares[j] > shares[js]) js = j;
        double corr = win.medianRatio(1, 0);
        // total variance per unit of scale-1 variance, only where the scale-2/scale-1 ratio says the noise is correlated:
        // image texture at low noise inflates the coarse scales (a ratio up to about 2 on real MR), and white noise
        // must keep the white estimator's value
        boolean correlated = corr >= CORRELATED_RATIO;
        double k2 = correlated ? Math.max(1, win.totalPerV(0)) : 1;
        String spectrum = describe(shares, corr);

        if (base.signalDependent()) {
            double k = Math.sqrt(k2);
            float[] map = SignalDependentSigma.map(finite(img), w, h, base.gain() * k2, base.readSigma() * k);
            String m = !correlated ? base.method() + "; white (" + spectrum + ")"
                    : base.method() + String.format(Locale.ROOT, ", scaled x%.3f for correlated noise (%s)", k, spectrum);
            return new NoiseField(map, NoiseRealization.rms(map), shares, corr, base.gain() * k2, base.readSigma() * k, m);
        }
        // local level: sqrt(k2 v_1) per window, smoothed; its variation (when significant) from the scale that carries
        // most of the noise, interpolated between window centres
        double[] local = new double[win.count()], rel = new double[win.count()];
        for (int i = 0; i < local.length; i++) {
            local[i] = Math.sqrt(k2 * win.v()[0][i]);
            rel[i] = Math.sqrt(win.v()[js][i]);
        }
        double[] sm = smooth(rel, win.gx(), win.gy());
        boolean varies = significantSpread(rel, win, js);
        // a varying level is measured where it is (the whole-slice selection of smooth blocks favours quiet regions)
        double globalLevel = correlated || varies ? median(smooth(local, win.gx(), win.gy())) : base.sigma();
        float[] map = new float[w * h];
        if (varies) map = interpolate(sm, win.gx(), win.gy(), w, h, globalLevel / median(sm));
        else Arrays.fill(map, (float) globalLevel);
        String m = (!correlated ? base.method() + "; white" : String.format(Locale.ROOT,
                "multi-scale Haar MAD in %d windows, x%.3f for correlated noise (white-noise estimate %.4g)", win.valid(),
                Math.sqrt(k2), base.sigma())) + " (" + spectrum + ")" + (varies ? "; varying level" : "");
        return new NoiseField(map, NoiseRealization.rms(map), shares, corr, 0, globalLevel, m);
    }

    /**
     * Per-window scale variances: v[j][window] (NaN where a window has too few usable blocks), on a gx x gy grid of
     * windows of {@value #WINDOW_PX} pixels at stride {@value #STRIDE_PX}.
     */
    record Windows(int gx, int gy, double[][] v, double[] total) {
        /** Quantile of the per-window shape ratios used (see {@link #totalPerV}). */
        static final double SHAPE_QUANTILE = 0.5;

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

        /** Median over windows of scale j's share of the variance (its three orientations). */
        double medianShare(int j) {
            double[] r = new double[total.length];
            int n = v.length;
            for (int i = 0; i < r.length; i++) {
                double vj = v[j][i], vn;
                if (j + 1 < n) vn = v[j + 1][i];
                else vn = n > 1 && v[n - 2][i] > 0 ? Math.max(vj / 4, Math.min(4 * vj, vj * vj / v[n - 2][i])) : vj;
                r[i] = Math.pow(4, -(j + 1)) * (vj + 2 * Math.sqrt(Math.max(0, vj * vn))) / total[i];
            }
            return median(r);
        }

        /**
         * Total variance per unit of v_j, as the {@value #SHAPE_QUANTILE} quantile (the median) over the windows
         * (a lower quantile, meant to avoid texture, was measured to be biased low by the ratios' sampling noise).
         */
        double totalPerV(int j) {
            double[] r = Arrays.stream(total).map(t -> 0).toArray();
            for (int i = 0; i < r.length; i++) r[i] = total[i] / v[j][i];
            double[] f = Arrays.stream(r).filter(Double::isFinite).sorted().toArray();
            if (f.length == 0) return Double.NaN;
            return f[(int) Math.floor(SHAPE_QUANTILE * (f.length - 1))];
        }

        double medianRatio(int a, int b) {
            double[] r = new double[total.length];
            for (int i = 0; i < r.length; i++) r[i] = v[a][i] / v[b][i];
            return median(r);
        }
    }

    static Windows windows(Scale[] scales, int w, int h, double minMean) {
        int size = Math.min(WINDOW_PX, Math.min(w, h)), stride = Math.min(STRIDE_PX, size);
        int gx = (w - size) / stride + 1, gy = (h - size) / stride + 1;
        int nj = scales.length;
        double[][] v = new double[nj][gx * gy];
        double[] total = new double[gx * gy];
        float[] hh = new float[size * size], det = new float[size * size];
        for (int wy = 0; wy < gy; wy++)
            for (int wx = 0; wx < gx; wx++) {
                int wi = wy * gx + wx;
                boolean ok = true;
                for (int j = 0; j < nj && ok; j++) {
                    Scale s = scales[j];
                    int bs = 1 << (j + 1);
                    int x0 = wx * stride / bs, y0 = wy * stride / bs, x1 = Math.min(s.bw(), (wx * stride + size) / bs),
                            y1 = Math.min(s.bh(), (wy * stride + size) / bs);
                    int k = 0;
                    for (int y = y0; y < y1; y++)
                        for (int x = x0; x < x1; x++) {
                            int i = y * s.bw() + x;
                            if (!s.valid()[i] || s.mean()[i] < minMean) continue;
                            hh[k] = Math.abs(s.hh()[i]);
                            det[k] = s.detail()[i];
                            k++;
                        }
                    int need = Math.max(8, (x1 - x0) * (y1 - y0) / 4);
                    if (k < need) {
                        ok = false;
                        break;
                    }
                    // the smoothest share by LH^2 + HL^2 (independent of HH for stationary Gaussian noise)
                    float[] sorted = Arrays.copyOf(det, k);
                    Arrays.sort(sorted);
                    double cut = sorted[(int) (SMOOTH_SHARE * (k - 1))];
                    int m = 0;
                    float[] sel = new float[k];
                    for (int i = 0; i < k; i++) if (det[i] <= cut) sel[m++] = hh[i];
                    double sd = NoiseLevelEstimator.median(sel, m) / NoiseLevelEstimator.MAD_NORMAL;
                    v[j][wi] = sd * sd;
                }
                if (!ok) {
                    for (int j = 0; j < nj; j++) v[j][wi] = Double.NaN;
                    total[wi] = Double.NaN;
                    continue;
                }
                double[] vv = new double[nj];
                for (int j = 0; j < nj; j++) vv[j] = v[j][wi];
                total[wi] = total(vv);
            }
        return new Windows(gx, gy, v, total);
    }

    /** Median of the finite values (NaN when none). */
    static double median(double[] x) {
        double[] f = Arrays.stream(x).filter(Double::isFinite).sorted().toArray();
        if (f.length == 0) return Double.NaN;
        return f.length % 2 == 1 ? f[f.length / 2] : 0.5 * (f[f.length / 2 - 1] + f[f.length / 2]);
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

    /** Whether the windows' levels spread well beyond their sampling error (about 1.17 / sqrt(blocks) relative). */
    static boolean significantSpread(double[] local, Windows win, int js) {
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

    private static String describe(double[] shares, double corr) {
        StringBuilder sb = new StringBuilder("variance by scale");
        for (double s : shares) sb.append(String.format(Locale.ROOT, " %.2f", s));
        return sb.append(String.format(Locale.ROOT, ", scale-2/scale-1 %.2f", corr)).toString();
    }

    private static NoiseField constant(int w, int h, NoiseEstimate e, double[] shares, double corr, String method) {
        float[] map = e.signalDependent() ? null : NoiseModel.constantSigmaMap(w * h, e.sigma());
        return new NoiseField(map == null ? NoiseModel.constantSigmaMap(w * h, e.sigma()) : map, e.sigma(), shares, corr, e.gain(), e.readSigma(), method);
    }

    static float[] finite(float[] img) {
        float[] out = img.clone();
        for (int i = 0; i < out.length; i++) if (!Float.isFinite(out[i])) out[i] = 0;
        return out;
    }

    /**
     * Per-pixel variance from the diagonal details v_j of scales 1..J. The horizontal and vertical details of scale j
     * see frequencies between those of HH_j and HH_{j+1}, so for a smooth (isotropic) noise spectrum their variance
     * is taken as sqrt(v_j v_{j+1}); beyond J the sequence is extrapolated geometrically (clamped to a factor 4 per
     * scale). Total = sum_j 4^-j (v_j + 2 sqrt(v_j v_{j+1})) + 4^-J v_{J+1}. White noise: all equal, total = v.
     */
    static double total(double[] v) {
        int n = v.length;
        double next = n > 1 && v[n - 2] > 0 ? Math.max(v[n - 1] / 4, Math.min(4 * v[n - 1], v[n - 1] * v[n - 1] / v[n - 2])) : v[n - 1];
        double t = 0;
        for (int j = 0; j < n; j++) {
            double vn = j + 1 < n ? v[j + 1] : next;
            t += Math.pow(4, -(j + 1)) * (v[j] + 2 * Math.sqrt(Math.max(0, v[j] * vn)));
        }
        return t + Math.pow(4, -n) * next;
    }

    /** Orthonormal Haar scales 1..levels (fewer when the image runs out of 2x2 blocks). */
    static Scale[] pyramid(float[] img, int w, int h, int levels) {
        Scale[] out = new Scale[levels];
        double[] a = new double[img.length];
        boolean[] ok = new boolean[img.length];
        for (int i = 0; i < a.length; i++) {
            ok[i] = Float.isFinite(img[i]);
            a[i] = ok[i] ? img[i] : 0;
        }
        int cw = w, ch = h, n = 0;
        for (int j = 1; j <= levels; j++) {
            int bw = cw / 2, bh = ch / 2;
            if (bw < 2 || bh < 2) break;
            double[] na = new double[bw * bh];
            boolean[] nok = new boolean[bw * bh];
            float[] hh = new float[bw * bh], det = new float[bw * bh], mean = new float[bw * bh];
            double norm = Math.pow(2, j); // orthonormal approximation / 2^j = block pixel mean
            for (int y = 0; y < bh; y++)
                for (int x = 0; x < bw; x++) {
                    int p = 2 * y * cw + 2 * x;
                    double pa = a[p], pb = a[p + 1], pc = a[p + cw], pd = a[p + cw + 1];
                    int o = y * bw + x;
                    nok[o] = ok[p] && ok[p + 1] && ok[p + cw] && ok[p + cw + 1];
                    double lh = (pa + pb - pc - pd) / 2, hl = (pa - pb + pc - pd) / 2;
                    hh[o] = (float) ((pa - pb - pc + pd) / 2);
                    det[o] = (float) (lh * lh + hl * hl);
                    na[o] = (pa + pb + pc + pd) / 2;
                    mean[o] = (float) (na[o] / norm);
                    // perfectly flat blocks (masks, padding) carry no noise
                    if (hh[o] == 0 && det[o] == 0) nok[o] = false;
                }
            out[n++] = new Scale(j, bw, bh, hh, det, mean, nok);
            a = na;
            ok = nok;
            cw = bw;
            ch = bh;
        }
        return Arrays.copyOf(out, n);
    }

    /** The 5th percentile of the block means: the air level of an MR magnitude image (or its dimmest tissue). */
    static double airLevel(Scale s) {
        int n = 0;
        float[] m = new float[s.mean().length];
        for (int i = 0; i < m.length; i++) if (s.valid()[i]) m[n++] = s.mean()[i];
        if (n == 0) return 0;
        float[] c = Arrays.copyOf(m, n);
        Arrays.sort(c);
        return c[(int) (0.05 * (n - 1))];
    }

    /** Share of the candidate blocks kept as the smoothest. */
    static final double SMOOTH_SHARE = 0.3;

    /**
     * Valid blocks with mean at least {@code minMean} that are smooth: their LH^2 + HL^2 in the lowest
     * {@value #SMOOTH_SHARE} of the candidates, and their parent block's (when there is one) below the parents' median.
     */
    static boolean[] select(Scale s, Scale parent, double minMean) {
        int n = s.hh().length;
        boolean[] use = new boolean[n];
        float[] det = new float[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            use[i] = s.valid()[i] && s.mean()[i] >= minMean;
            if (use[i]) det[k++] = s.detail()[i];
        }
        if (k == 0) return use;
        float[] sorted = Arrays.copyOf(det, k);
        Arrays.sort(sorted);
        double cut = sorted[(int) (SMOOTH_SHARE * (k - 1))];
        double pcut = Double.POSITIVE_INFINITY;
        if (parent != null) {
            float[] pd = new float[parent.detail().length];
            int m = 0;
            for (int i = 0; i < pd.length; i++) if (parent.valid()[i]) pd[m++] = parent.detail()[i];
            if (m > 0) pcut = NoiseLevelEstimator.median(pd, m);
        }
        for (int y = 0; y < s.bh(); y++)
            for (int x = 0; x < s.bw(); x++) {
                int i = y * s.bw() + x;
                if (!use[i]) continue;
                if (s.detail()[i] > cut) use[i] = false;
                else if (parent != null) {
                    int px = Math.min(parent.bw() - 1, x / 2), py = Math.min(parent.bh() - 1, y / 2);
                    if (parent.detail()[py * parent.bw() + px] > pcut) use[i] = false;
                }
            }
        return use;
    }

    /** (median |x| / 0.6745)^2 over the selected entries; NaN when fewer than 32. */
    static double madVariance(float[] x, boolean[] use) {
        float[] a = new float[x.length];
        int k = 0;
        for (int i = 0; i < x.length; i++) if (use[i]) a[k++] = Math.abs(x[i]);
        if (k < NoiseLevelEstimator.MIN_BLOCKS / 2) return Double.NaN;
        double s = NoiseLevelEstimator.median(a, k) / NoiseLevelEstimator.MAD_NORMAL;
        return s * s;
    }

}
