package org.diffdenoise.train;

import java.util.List;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.UncertaintyCalibration;
import org.diffdenoise.train.UncertaintyCalibrator.Measured;

/**
 * The least-squares fit of one family's {@link UncertaintyCalibration.FamilyFit} on measured cases: non-negative least
 * squares of error^2 on spread^2 and sigma^2, the noise-factor table refit per cell, and the common coverage scale.
 */
final class CalibrationFit {

    private CalibrationFit() {
    }

    /**
     * Fits one family: NNLS of error^2 on (spread^2, sigma^2) with each case weighted by 1 / its mean sigma^2, the noise
     * factor refitted per cell of noise level (and SNR for MR, X-ray), then a common scale for 95 % coverage.
     */
    static UncertaintyCalibration.FamilyFit fitFamily(NoiseFamily f, List<Measured> ms) {
        double[][] g = new double[2][2];
        double[] rhs = new double[2];
        double ss = 0, se = 0;
        for (Measured m : ms) {
            double v = 0;
            for (float s : m.sigma()) v += (double) s * s;
            double w = m.sigma().length / Math.max(v, 1e-30) / m.sigma().length;
            for (int i = 0; i < m.error().length; i++) {
                double x0 = (double) m.spread()[i] * m.spread()[i], x1 = (double) m.sigma()[i] * m.sigma()[i], y = (double) m.error()[i] * m.error()[i];
                g[0][0] += w * x0 * x0;
                g[0][1] += w * x0 * x1;
                g[1][1] += w * x1 * x1;
                rhs[0] += w * x0 * y;
                rhs[1] += w * x1 * y;
                ss += w * x0 * x0;
                se += w * x0 * y;
            }
        }
        double[] c = nnls2(g[0][0], g[0][1], g[1][1], rhs[0], rhs[1]);
        double a = Math.sqrt(c[0]), b = Math.sqrt(c[1]);
        double[] edges = f == NoiseFamily.GAUSSIAN_CT ? null : UncertaintyCalibration.SNR_EDGES;
        double[] levels = UncertaintyCalibration.LEVEL_EDGES;
        double[] bySnr = noiseFactorTable(ms, a, b, levels, edges);
        UncertaintyCalibration.FamilyFit raw = new UncertaintyCalibration.FamilyFit(f.name(), a, b, ms.size(), 0, 0, levels, edges, bySnr);
        double k = scaleForCoverage(ms, raw, 0.95);
        double aOnly = Math.sqrt(Math.max(se / ss, 0));
        double kOnly = scaleForCoverage(ms, new UncertaintyCalibration.FamilyFit(f.name(), aOnly, 0, 0, 0, 0), 0.95);
        double[] scaled = bySnr == null ? null : java.util.Arrays.stream(bySnr).map(v -> round(k * v)).toArray();
        UncertaintyCalibration.FamilyFit fit = new UncertaintyCalibration.FamilyFit(f.name(), round(k * a), round(k * b), ms.size(), 0,
                round(kOnly * aOnly), levels, edges, scaled);
        return new UncertaintyCalibration.FamilyFit(f.name(), fit.spreadFactor(), fit.noiseFactor(), ms.size(), round(coverage(ms, fit)),
                fit.spreadOnlyFactor(), levels, edges, scaled);
    }

    /**
     * Per cell of noise level and SNR (denoised value / sigma), the noise factor that makes the mean predicted variance
     * equal the mean squared error there, the spread factor held at {@code a}; cells with too few pixels keep {@code b}.
     */
    static double[] noiseFactorTable(List<Measured> ms, double a, double b, double[] levelEdges, double[] snrEdges) {
        int nb = (levelEdges.length + 1) * (snrEdges == null ? 1 : snrEdges.length + 1);
        double[] se = new double[nb], sv = new double[nb];
        long[] count = new long[nb];
        UncertaintyCalibration.FamilyFit binner = new UncertaintyCalibration.FamilyFit("", 0, 0, 0, 0, 0, levelEdges, snrEdges, new double[nb]);
        for (Measured m : ms) {
            double v = 0;
            for (float s : m.sigma()) v += (double) s * s;
            double w = m.sigma().length / Math.max(v, 1e-30);
            for (int i = 0; i < m.error().length; i++) {
                int bin = binner.cell(m.mean()[i], m.sigma()[i], m.level());
                double sp = a * m.spread()[i];
                se[bin] += w * ((double) m.error()[i] * m.error()[i] - sp * sp);
                sv[bin] += w * (double) m.sigma()[i] * m.sigma()[i];
                count[bin]++;
            }
        }
        double[] out = new double[nb];
        // a floor: a cell whose error the spread alone explains on the fitting data must not claim no noise error at all
        for (int i = 0; i < nb; i++) out[i] = count[i] < MIN_BIN_PIXELS ? b : Math.max(Math.sqrt(Math.max(se[i], 0) / sv[i]), 0.25 * b);
        return out;
    }

    /** Fewer fitting pixels than this in an SNR bin and it keeps the family's single noise factor. */
    static final int MIN_BIN_PIXELS = 2000;

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    /** Non-negative least squares for two unknowns from the normal equations [[g00 g01][g01 g11]] c = [r0 r1]. */
    static double[] nnls2(double g00, double g01, double g11, double r0, double r1) {
        double det = g00 * g11 - g01 * g01;
        if (det > 0) {
            double c0 = (r0 * g11 - r1 * g01) / det, c1 = (g00 * r1 - g01 * r0) / det;
            if (c0 >= 0 && c1 >= 0) return new double[] {c0, c1};
        }
        double only0 = g00 > 0 ? Math.max(r0 / g00, 0) : 0, only1 = g11 > 0 ? Math.max(r1 / g11, 0) : 0;
        // the better of the two one-variable fits (residual reduction r^2 / g)
        double gain0 = g00 > 0 ? only0 * r0 : 0, gain1 = g11 > 0 ? only1 * r1 : 0;
        return gain0 >= gain1 ? new double[] {only0, 0} : new double[] {0, only1};
    }

    /** The factor k (bisection) so that |error| <= 2 k sd holds for {@code target} of all pixels. */
    static double scaleForCoverage(List<Measured> ms, UncertaintyCalibration.FamilyFit fit, double target) {
        double lo = 0.01, hi = 100;
        for (int it = 0; it < 40; it++) {
            double mid = Math.sqrt(lo * hi);
            if (coverage(ms, scaled(fit, mid)) < target) lo = mid;
            else hi = mid;
        }
        return Math.sqrt(lo * hi);
    }

    private static UncertaintyCalibration.FamilyFit scaled(UncertaintyCalibration.FamilyFit f, double k) {
        return new UncertaintyCalibration.FamilyFit(f.family(), k * f.spreadFactor(), k * f.noiseFactor(), f.cases(), f.coverage(),
                f.spreadOnlyFactor(), f.levelEdges(), f.snrEdges(), f.noiseFactors() == null ? null
                : java.util.Arrays.stream(f.noiseFactors()).map(v -> k * v).toArray());
    }

    static double coverage(List<Measured> ms, UncertaintyCalibration.FamilyFit f) {
        long in = 0, n = 0;
        for (Measured m : ms) {
            for (int i = 0; i < m.error().length; i++) {
                if (Math.abs(m.error()[i]) <= 2 * UncertaintyCalibration.sd(f, m.spread()[i], m.sigma()[i], m.mean()[i], m.level())) in++;
                n++;
            }
        }
        return (double) in / n;
    }
}
