package org.diffdenoise.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One noise family's table of the error's standard deviation relative to the local noise sigma: the estimated error
 * SD of a pixel is {@code sigma * ratio[cell]}, where the cell bins the slice's noise correlation (the noise field's
 * scale-2 / scale-1 variance ratio: white noise about 1, smooth CT kernels, zero-filled MR and detector blur well
 * above), its noise level (RMS sigma / intensity scale), the pixel's signal-to-noise ratio (denoised value / sigma; one
 * bin for CT) and its sample spread relative to sigma. Each ratio is the root-mean-square error over the root-mean-square sigma of the fitting pixels in that cell
 * (simulated noise on training images; cells with too few pixels take the value of a coarser cell, see
 * {@code train.ErrorTableFit}). Why these three: on the fitting data the error relative to sigma falls with the noise
 * level, is near 0 where the output sits on a Rician air background (SNR below 0.05), grows with the spread and is
 * larger for correlated noise.
 *
 * @param correlationEdges upper edges of the noise-correlation bins
 * @param family      the noise family's name
 * @param levelEdges  upper edges of the noise-level bins (the last bin is open)
 * @param snrEdges    upper edges of the SNR bins (empty: one bin)
 * @param spreadEdges upper edges of the spread / sigma bins
 * @param ratios      error SD / sigma by level bin, then SNR bin, then spread bin
 * @param pixels      fitting pixels in each cell (0: the ratio was taken from a coarser cell)
 * @param cases       simulated cases (image x noise) it was fitted on
 * @param coverage    fraction of fitting pixels with |error| <= 2 sd
 * @param interpolated true (tables fitted since session 21): a pixel's ratio is interpolated between the cells of its
 *                     neighbouring SNR and spread bins (see {@link #sd}); false (older bundles, where the field is
 *                     absent): the ratio of its cell
 */
public record ErrorSdTable(String family, double[] correlationEdges, double[] levelEdges, double[] snrEdges, double[] spreadEdges, double[] ratios,
        long[] pixels, int cases, double coverage, boolean interpolated) {

    /** Checks that the table has one ratio per cell (a hand-edited or truncated bundle is refused by name). */
    public ErrorSdTable {
        Objects.requireNonNull(family, "family");
        if (correlationEdges == null || levelEdges == null || snrEdges == null || spreadEdges == null || ratios == null)
            throw new IllegalArgumentException("uncertainty table for " + family + " lacks its edges or ratios");
        int n = (correlationEdges.length + 1) * (levelEdges.length + 1) * (snrEdges.length + 1) * (spreadEdges.length + 1);
        if (ratios.length != n)
            throw new IllegalArgumentException("uncertainty table for " + family + " has " + ratios.length + " ratios, expected " + n);
        for (double r : ratios)
            if (!(r >= 0) || Double.isInfinite(r))
                throw new IllegalArgumentException("uncertainty table for " + family + " has a ratio that is not a finite number >= 0: " + r);
    }

    /** Number of cells. */
    public int cells() {
        return ratios.length;
    }

    /**
     * The cell of a pixel: its sample spread, local noise sigma and denoised value, and the slice's noise level and
     * noise correlation.
     */
    public int cell(double spread, double sigma, double value, double level, double correlation) {
        return cell(bin(correlationEdges, correlation), bin(levelEdges, level), bin(snrEdges, perSigma(value, sigma)),
                bin(spreadEdges, perSigma(spread, sigma)));
    }

    // v in units of sigma (a pixel without noise sits in the top bins)
    private static double perSigma(double v, double sigma) {
        return sigma > 0 ? v / sigma : Double.POSITIVE_INFINITY;
    }

    /** The cell of correlation bin c, level bin l, SNR bin s and spread bin p. */
    public int cell(int c, int l, int s, int p) {
        return ((c * (levelEdges.length + 1) + l) * (snrEdges.length + 1) + s) * (spreadEdges.length + 1) + p;
    }

    /**
     * The estimated error SD of a pixel, in the units of sigma. For an {@link #interpolated} table: sigma times the ratio
     * interpolated bilinearly in ln(SNR) and ln(spread / sigma) between the centres of their bins ({@link #position}), in
     * the slice's correlation and level bins; each cell's ratio holds at its bins' centres, and the map has no step where
     * a pixel's SNR or spread crosses a bin edge (a step would draw a contour that is the table's, not the error's).
     * Otherwise sigma times the ratio of the pixel's cell.
     */
    public float sd(double spread, double sigma, double value, double level, double correlation) {
        if (!interpolated) return (float) (sigma * ratios[cell(spread, sigma, value, level, correlation)]);
        int c = bin(correlationEdges, correlation), l = bin(levelEdges, level);
        double ts = position(snrEdges, perSigma(value, sigma)), tp = position(spreadEdges, perSigma(spread, sigma));
        int s0 = (int) ts, p0 = (int) tp;
        double fs = ts - s0, fp = tp - p0;
        int s1 = fs > 0 ? s0 + 1 : s0, p1 = fp > 0 ? p0 + 1 : p0;
        double r = (1 - fs) * ((1 - fp) * ratios[cell(c, l, s0, p0)] + fp * ratios[cell(c, l, s0, p1)])
                + fs * ((1 - fp) * ratios[cell(c, l, s1, p0)] + fp * ratios[cell(c, l, s1, p1)]);
        return (float) (sigma * r);
    }

    /**
     * Where v lies among the bins of {@code edges}, as a fractional bin index: i at bin i's centre, linear in ln v
     * between centres, 0 below the first centre (and for v <= 0), {@code edges.length} above the last.
     */
    public static double position(double[] edges, double v) {
        int k = edges.length;
        if (k == 0 || !(v > 0)) return 0;
        double x = Math.log(v), below = centre(edges, 0);
        if (x <= below) return 0;
        for (int i = 1; i <= k; i++) {
            double above = centre(edges, i);
            if (x < above) return i - 1 + (x - below) / (above - below);
            below = above;
        }
        return k;
    }

    /**
     * ln of bin i's centre: the midpoint of its edges' logarithms; the two open bins as wide as their neighbours, or a
     * factor 2 each way of a single edge.
     */
    static double centre(double[] edges, int i) {
        int k = edges.length;
        if (i > 0 && i < k) return (Math.log(edges[i - 1]) + Math.log(edges[i])) / 2;
        double half = k == 1 ? Math.log(2) : Math.log(i == 0 ? edges[1] / edges[0] : edges[k - 1] / edges[k - 2]) / 2;
        return i == 0 ? Math.log(edges[0]) - half : Math.log(edges[k - 1]) + half;
    }

    /** The bin of v: the number of upper edges at or below it. */
    public static int bin(double[] edges, double v) {
        int i = 0;
        while (i < edges.length && v >= edges[i]) i++;
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorSdTable t && family.equals(t.family) && Arrays.equals(correlationEdges, t.correlationEdges)
                && Arrays.equals(levelEdges, t.levelEdges)
                && Arrays.equals(snrEdges, t.snrEdges) && Arrays.equals(spreadEdges, t.spreadEdges) && Arrays.equals(ratios, t.ratios)
                && Arrays.equals(pixels, t.pixels) && cases == t.cases && coverage == t.coverage && interpolated == t.interpolated;
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, cases) * 31 + Arrays.hashCode(ratios);
    }

    @Override
    public String toString() {
        return "ErrorSdTable[" + family + ", " + ratios.length + " cells, " + cases + " cases]";
    }
}
