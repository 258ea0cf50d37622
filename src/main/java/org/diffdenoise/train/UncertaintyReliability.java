package org.diffdenoise.train;

import java.util.Arrays;

/**
 * How well a predicted error SD map matches the actual error: ten bins by predicted SD (deciles), each with its mean
 * predicted SD and the root-mean-square of the error; the fraction of pixels with |error| <= 2 SD; the pixel-wise
 * correlation between the prediction and |error|.
 *
 * @param binMeanSd   mean predicted SD per decile bin, lowest first
 * @param binRmsError root-mean-square error per bin
 * @param coverage2sd fraction with |error| <= 2 predicted SD
 * @param correlation Pearson correlation of predicted SD with |error|
 */
public record UncertaintyReliability(double[] binMeanSd, double[] binRmsError, double coverage2sd, double correlation) {

    /** Bins used: deciles of the predicted SD. */
    public static final int BINS = 10;

    /** The statistics of predicted SDs {@code sd} against errors {@code error} (same length). */
    public static UncertaintyReliability of(float[] sd, float[] error) {
        int n = sd.length;
        if (error.length != n || n < BINS) throw new IllegalArgumentException("need as many errors as SDs, at least " + BINS);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (p, q) -> Float.compare(sd[p], sd[q]));
        double[] mean = new double[BINS], rms = new double[BINS];
        for (int b = 0; b < BINS; b++) {
            int from = (int) ((long) b * n / BINS), to = (int) ((long) (b + 1) * n / BINS);
            double s = 0, e = 0;
            for (int k = from; k < to; k++) {
                int i = order[k];
                s += sd[i];
                e += (double) error[i] * error[i];
            }
            mean[b] = s / (to - from);
            rms[b] = Math.sqrt(e / (to - from));
        }
        int covered = 0;
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        for (int i = 0; i < n; i++) {
            double a = sd[i], b = Math.abs(error[i]);
            if (b <= 2 * a) covered++;
            sa += a;
            sb += b;
            saa += a * a;
            sbb += b * b;
            sab += a * b;
        }
        double cov = sab / n - sa / n * sb / n, va = saa / n - sa * sa / n / n, vb = sbb / n - sb * sb / n / n;
        double corr = va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
        return new UncertaintyReliability(mean, rms, (double) covered / n, corr);
    }

    /**
     * The largest factor by which a bin's RMS error and mean predicted SD differ (1 = perfect); infinite when a bin
     * predicts 0 where there is error, or error 0 where it predicts some; a bin with neither is skipped.
     */
    public double worstBinFactor() {
        double worst = 1;
        for (int b = 0; b < BINS; b++) {
            double e = binRmsError[b], s = binMeanSd[b];
            if (e == 0 && s == 0) continue;
            if (e == 0 || s == 0) return Double.POSITIVE_INFINITY;
            worst = Math.max(worst, Math.max(e / s, s / e));
        }
        return worst;
    }

    /** The bar: every bin within a factor 1.5, and coverage of |error| <= 2 SD between 90 % and 98 %. */
    public boolean calibrated() {
        return worstBinFactor() <= 1.5 && coverage2sd >= 0.90 && coverage2sd <= 0.98;
    }
}
