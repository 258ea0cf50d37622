package org.diffdenoise.noise;

import java.util.Arrays;

/**
 * One scale of an orthonormal Haar transform of a slice: on a bw x bh grid of 2^level-pixel blocks, the diagonal
 * detail HH, the horizontal plus vertical detail energy LH^2 + HL^2, the block pixel mean, and whether the block holds
 * only finite pixels and is not perfectly flat.
 */
record HaarScale(int level, int bw, int bh, float[] hh, float[] detail, float[] mean, boolean[] valid) {

    /** Orthonormal Haar scales 1..levels (fewer when the image runs out of 2x2 blocks). */
    static HaarScale[] pyramid(float[] img, int w, int h, int levels) {
        HaarScale[] out = new HaarScale[levels];
        double[] a = new double[img.length];
        boolean[] ok = new boolean[img.length];
        for (int i = 0; i < a.length; i++) {
            float v = img[i];
            ok[i] = v >= -Float.MAX_VALUE && v <= Float.MAX_VALUE; // Float.isFinite without a call per pixel (first slice: interpreted)
            a[i] = ok[i] ? v : 0;
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
            out[n++] = new HaarScale(j, bw, bh, hh, det, mean, nok);
            a = na;
            ok = nok;
            cw = bw;
            ch = bh;
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Variance of this scale's horizontal and vertical details over that of its diagonal detail, over the blocks that
     * lie under the quietest quarter of {@code coarser}'s blocks (detail energy; flat regions, where the image adds
     * least): 1 for white noise; above 1 where the noise's spectrum is cut off radially, which empties the diagonal
     * corners of the spectrum (a ramp-kernel CT reconstruction band-limited at the detector's Nyquist frequency:
     * 1.6-1.8 against 1.0-1.1 for white noise on the same slice), far above 1 for smooth kernels and blur. Medians of
     * LH^2 + HL^2 (chi-square, 2 degrees of freedom) and HH^2 (1 degree), each divided by its Gaussian median factor;
     * 1 when fewer than 16 blocks qualify.
     */
    double axisToDiagonal(HaarScale coarser) {
        return axisToDiagonal(coarser, QUIET_SHARE, false);
    }

    /**
     * The same ratio under the quietest {@code quietShare} of {@code coarser}'s blocks, from means of the lower
     * {@value #TRIM_KEEP} of each detail's squares instead of medians (each divided by its Gaussian truncated-mean
     * factor): less sampling noise, and the ratio of two means is not biased where the noise level varies over the
     * blocks (the medians of two mixtures of scaled chi-squares are).
     */
    double axisToDiagonalTrimmed(HaarScale coarser, double quietShare) {
        return axisToDiagonal(coarser, quietShare, true);
    }

    private double axisToDiagonal(HaarScale coarser, double quietShare, boolean trimmed) {
        int nc = 0;
        float[] energy = new float[coarser.hh.length];
        for (int i = 0; i < energy.length; i++)
            if (coarser.valid[i]) energy[nc++] = coarser.detail[i] + coarser.hh[i] * coarser.hh[i];
        if (nc < 4) return 1;
        float limit = OrderStatistics.selectInPlace(energy, nc, (int) (quietShare * (nc - 1)));
        float[] axis = new float[hh.length], diag = new float[hh.length];
        int n = 0;
        for (int y = 0; y < Math.min(bh, 2 * coarser.bh); y++)
            for (int x = 0; x < Math.min(bw, 2 * coarser.bw); x++) {
                int o = y * bw + x, c = (y / 2) * coarser.bw + x / 2;
                if (!valid[o] || !coarser.valid[c] || coarser.detail[c] + coarser.hh[c] * coarser.hh[c] > limit) continue;
                axis[n] = detail[o];
                diag[n++] = hh[o] * hh[o];
            }
        if (n < 16) return 1;
        double a = trimmed ? lowerMean(axis, n) / CHI2_2_TRIMMED_MEAN : OrderStatistics.medianInPlace(axis, n) / CHI2_2_MEDIAN;
        double d = trimmed ? lowerMean(diag, n) / CHI2_1_TRIMMED_MEAN : OrderStatistics.medianInPlace(diag, n) / CHI2_1_MEDIAN;
        return d > 0 && a > 0 ? a / d : 1;
    }

    /** Mean of the lower {@value #TRIM_KEEP} of the first n values (reordered). */
    private static double lowerMean(float[] v, int n) {
        int k = (int) (TRIM_KEEP * n);
        float limit = OrderStatistics.selectInPlace(v, n, k);
        double sum = 0;
        int m = 0;
        for (int i = 0; i < n; i++)
            if (v[i] < limit) {
                sum += v[i];
                m++;
            }
        // ties at the limit fill the count up to k
        return (sum + (double) (k - m) * limit) / k;
    }

    /** Share of the lower squares the trimmed means keep. */
    static final double TRIM_KEEP = 0.9;
    /** Mean of chi-square with 2 / 1 degrees of freedom below its 90th percentile: 2 P(chi2_4 <= 4.605) / 0.9 and
     * P(chi2_3 <= 2.706) / 0.9. */
    private static final double CHI2_2_TRIMMED_MEAN = 1.48831, CHI2_1_TRIMMED_MEAN = 0.62300;

    /** Share of the coarser blocks (the quietest) whose finer blocks {@link #axisToDiagonal} measures. */
    static final double QUIET_SHARE = 0.25;
    /** Medians of chi-square with 2 and 1 degrees of freedom (sums of squared unit Gaussians). */
    private static final double CHI2_2_MEDIAN = 2 * Math.log(2), CHI2_1_MEDIAN = 0.45493642311957;

    /** The 5th percentile of the valid block means: the air level of an MR magnitude image (or its dimmest tissue). */
    double airLevel() {
        int n = 0;
        float[] m = new float[mean.length];
        for (int i = 0; i < m.length; i++) if (valid[i]) m[n++] = mean[i];
        if (n == 0) return 0;
        return OrderStatistics.selectInPlace(m, n, (int) (0.05 * (n - 1)));
    }
}
