package org.diffdenoise.noise;

import java.util.Locale;

/**
 * The noise's correlation measured from the windows' scale variances (its shape taken as the same everywhere):
 * {@code shares} of the per-pixel variance by scale (the last entry the extrapolated remainder; a coarse noise power
 * spectrum), the {@code dominant} scale, the scale-2/scale-1 variance {@code ratio}, whether that says the noise is
 * {@code correlated}, and {@code varianceFactor}, the total per-pixel variance per unit of scale-1 variance
 * (1 for white noise).
 */
record CorrelationCorrection(double[] shares, int dominant, double ratio, boolean correlated, double varianceFactor) {

    /** Scale-2/scale-1 diagonal-variance ratio from which noise counts as correlated (texture of real images at low
     * noise reaches about 2; the simulators' correlated noise 3.2-18). */
    static final double CORRELATED_RATIO = 3;
    /** Quantile of the per-window shape ratios used (see {@link #totalPerV}). */
    static final double SHAPE_QUANTILE = 0.5;

    /** The correction measured on {@code win} (its scales 1..nj). */
    static CorrelationCorrection of(WindowedNoiseMap win, int nj) {
        // per-window shares of each scale, median over windows
        double[] shares = new double[nj + 1];
        for (int j = 0; j < nj; j++) shares[j] = medianShare(win, j);
        double sumShares = 0;
        for (int j = 0; j < nj; j++) sumShares += shares[j];
        shares[nj] = Math.max(0, 1 - sumShares);
        int js = 0;
        for (int j = 1; j < nj; j++) if (shares[j] > shares[js]) js = j;
        double corr = medianRatio(win, 1, 0);
        // only where the scale-2/scale-1 ratio says the noise is correlated: image texture at low noise inflates the
        // coarse scales (a ratio up to about 2 on real MR), and white noise must keep the white estimator's value
        boolean correlated = NoiseField.isCorrelated(corr);
        double k2 = correlated ? Math.max(1, totalPerV(win, 0)) : 1;
        return new CorrelationCorrection(shares, js, corr, correlated, k2);
    }

    /** The shares and ratio, as text. */
    String describe() {
        StringBuilder sb = new StringBuilder("variance by scale");
        for (double s : shares) sb.append(String.format(Locale.ROOT, " %.2f", s));
        return sb.append(String.format(Locale.ROOT, ", scale-2/scale-1 %.2f", ratio)).toString();
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

    /** Median over windows of scale j's share of the variance (its three orientations). */
    static double medianShare(WindowedNoiseMap win, int j) {
        double[][] vs = win.v();
        double[] total = win.total();
        double[] r = new double[total.length];
        int n = vs.length;
        for (int i = 0; i < r.length; i++) {
            double vj = vs[j][i], vn;
            if (j + 1 < n) vn = vs[j + 1][i];
            else vn = n > 1 && vs[n - 2][i] > 0 ? Math.max(vj / 4, Math.min(4 * vj, vj * vj / vs[n - 2][i])) : vj;
            r[i] = Math.pow(4, -(j + 1)) * (vj + 2 * Math.sqrt(Math.max(0, vj * vn))) / total[i];
        }
        return WindowedNoiseMap.median(r);
    }

    /**
     * Total variance per unit of v_j, as the {@value #SHAPE_QUANTILE} quantile (the median) over the windows
     * (a lower quantile, meant to avoid texture, was measured to be biased low by the ratios' sampling noise).
     */
    static double totalPerV(WindowedNoiseMap win, int j) {
        double[] total = win.total();
        double[] f = new double[total.length];
        int n = 0;
        for (int i = 0; i < total.length; i++) {
            double r = total[i] / win.v()[j][i];
            if (Double.isFinite(r)) f[n++] = r;
        }
        if (n == 0) return Double.NaN;
        return OrderStatistics.selectInPlace(f, n, (int) Math.floor(SHAPE_QUANTILE * (n - 1)));
    }

    /** Median over windows of v_a / v_b. */
    static double medianRatio(WindowedNoiseMap win, int a, int b) {
        double[] total = win.total();
        double[] r = new double[total.length];
        for (int i = 0; i < r.length; i++) r[i] = win.v()[a][i] / win.v()[b][i];
        return WindowedNoiseMap.median(r);
    }
}
