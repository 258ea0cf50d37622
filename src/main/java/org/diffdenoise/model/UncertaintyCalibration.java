package org.diffdenoise.model;

import java.util.List;
import java.util.Locale;

import org.diffdenoise.api.NoiseFamily;

/**
 * How a bundle turns the spread of its stochastic samples into an estimated standard deviation of the error of the
 * denoised value, in modality units: per noise family, sd = sqrt((spreadFactor * spread)^2 + (noiseFactor * sigma)^2),
 * where spread is the per-pixel standard deviation across the samples and sigma the local noise standard deviation
 * of the input (the slice's noise estimate; for X-ray its signal-dependent map). For MR and X-ray, whose values are 0
 * without signal, the noise factor depends on the local signal-to-noise ratio (denoised value / sigma, bins
 * {@link #SNR_EDGES}): a Rician background, say, is denoised to nearly its true value and needs a small factor.
 * Since issue 16 a calibration may instead hold per-family {@link ErrorSdTable}s (sd = sigma x a ratio looked up by
 * noise level, SNR and spread / sigma; {@link #TABLE_FORMULA}, sigma the local noise map); a family with a table uses
 * it, the others the formula above, so calibrations written before keep working unchanged.
 * Stored in diffdenoise-model.json with how it was fitted, so the coordinator can refit it for a new network ({@code diffdenoise model calibrate}).
 *
 * @param quantity  what the calibrated map is, in words
 * @param formula   the formula above, in words
 * @param eta       the DDIM eta of the samples it was fitted with (and that inference must use)
 * @param steps     the sampling steps it was fitted with
 * @param samples   the number of samples it was fitted with
 * @param families  one fit per noise family
 * @param fittedOn  the data it was fitted on (never the benchmark's test images)
 * @param fitted    when (ISO 8601 UTC)
 * @param command   the command that fitted it
 * @param tables    per-family error tables (null or empty in calibrations written before them)
 */
public record UncertaintyCalibration(String quantity, String formula, double eta, int steps, int samples,
        List<FamilyFit> families, String fittedOn, String fitted, String command, List<ErrorSdTable> tables) {

    /** A calibration of the spread-plus-noise formula only (no tables), as written before issue 16. */
    public UncertaintyCalibration(String quantity, String formula, double eta, int steps, int samples,
            List<FamilyFit> families, String fittedOn, String fitted, String command) {
        this(quantity, formula, eta, steps, samples, families, fittedOn, fitted, command, null);
    }

    /** The formula of a table calibration, in words. */
    public static final String TABLE_FORMULA = "sd = sigma * ratios[cell]; sigma = the local noise standard deviation the network "
            + "was conditioned on (the denoiser's noise field; for magnitude MR after the coil floor's removal and the air's level; modality units); cell = ((c * (levelEdges.length + 1) + l) * (snrEdges.length + 1) + s) "
            + "* (spreadEdges.length + 1) + p for the bin c of the slice's noise correlation (the noise field's scale-2 / scale-1 diagonal "
            + "detail variance ratio, 1 for white noise; upper edges correlationEdges), the bin l of the slice's noise level (RMS sigma / intensity scale of the robust normalization; upper edges "
            + "levelEdges), the bin s of snr = denoised value / sigma (upper edges snrEdges) and the bin p of spread / sigma "
            + "(spread = per-pixel standard deviation across the samples, DDIM at the recorded eta; upper edges spreadEdges); a table with "
            + "interpolated = true takes, in its correlation and level bins, the ratio interpolated bilinearly in ln snr and ln (spread / sigma) "
            + "between the centres of the bins (a bin's centre: the midpoint of its edges' logarithms; the open end bins as wide as their "
            + "neighbours, a factor 2 each way with one edge; constant beyond the outer centres and for snr <= 0)";

    /** The error table for a family, or null when the calibration has none for it. */
    public ErrorSdTable tableFor(NoiseFamily family) {
        if (tables == null) return null;
        for (ErrorSdTable t : tables) if (family.name().equals(t.family())) return t;
        return null;
    }

    /** Whether a family is calibrated at all (by a table or by the formula). */
    public boolean calibrates(NoiseFamily family) {
        return tableFor(family) != null || forFamily(family) != null;
    }

    /** The quantity a calibrated map holds. */
    public static final String QUANTITY = "estimated standard deviation of the error of the denoised value (modality units)";
    /** The formula, in words. */
    public static final String FORMULA = "sd = sqrt((spreadFactor * spread)^2 + (noiseFactor * sigma)^2); spread = per-pixel "
            + "standard deviation across the samples (DDIM, eta as recorded), sigma = local noise standard deviation of the input; "
            + "noiseFactor = noiseFactors[l * (snrEdges.length + 1) + i] for the bin l of the slice's noise level (RMS sigma / "
            + "intensity scale of the robust normalization; upper edges levelEdges) and the bin i of snr = denoised value / sigma "
            + "(upper edges snrEdges; none for CT), or the single noiseFactor when there is no table";
    /** Upper edges of the signal-to-noise bins of MR and X-ray (the last bin is open). */
    public static final double[] SNR_EDGES = {1, 2, 4, 8, 16};
    /** Upper edges of the noise-level bins (RMS sigma / normalization scale; the last bin is open). */
    public static final double[] LEVEL_EDGES = {0.015, 0.035, 0.07};

    /**
     * One family's factors and how well they did on the fitting data.
     *
     * @param cases    images x noise levels it was fitted on
     * @param coverage fraction of fitting pixels with |error| <= 2 sd
     * @param spreadOnlyFactor the factor of the alternative fitted for comparison, sd = factor * spread (not used)
     * @param levelEdges upper edges of the noise-level bins (null: one noise factor)
     * @param snrEdges upper edges of the SNR bins (empty or null: one SNR bin)
     * @param noiseFactors the table of noise factors, by level bin then SNR bin
     */
    public record FamilyFit(String family, double spreadFactor, double noiseFactor, int cases, double coverage,
                            double spreadOnlyFactor, double[] levelEdges, double[] snrEdges, double[] noiseFactors) {

        /** A fit with one noise factor for every signal and noise level. */
        public FamilyFit(String family, double spreadFactor, double noiseFactor, int cases, double coverage, double spreadOnlyFactor) {
            this(family, spreadFactor, noiseFactor, cases, coverage, spreadOnlyFactor, null, null, null);
        }

        /** The table cell of a pixel: denoised value {@code value}, local sigma, and the slice's noise level; -1 without a table. */
        public int cell(double value, double sigma, double level) {
            if (levelEdges == null || noiseFactors == null) return -1;
            int l = bin(levelEdges, level);
            int nSnr = snrEdges == null ? 1 : snrEdges.length + 1;
            return l * nSnr + (snrEdges == null ? 0 : bin(snrEdges, sigma > 0 ? value / sigma : Double.POSITIVE_INFINITY));
        }

        /** The noise factor of a pixel (see {@link #cell}). */
        public double noiseFactorAt(double value, double sigma, double level) {
            int c = cell(value, sigma, level);
            return c < 0 ? noiseFactor : noiseFactors[c];
        }

        private static int bin(double[] edges, double v) {
            int i = 0;
            while (i < edges.length && v >= edges[i]) i++;
            return i;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FamilyFit f && family.equals(f.family) && spreadFactor == f.spreadFactor && noiseFactor == f.noiseFactor
                    && cases == f.cases && coverage == f.coverage && spreadOnlyFactor == f.spreadOnlyFactor
                    && java.util.Arrays.equals(levelEdges, f.levelEdges) && java.util.Arrays.equals(snrEdges, f.snrEdges)
                    && java.util.Arrays.equals(noiseFactors, f.noiseFactors);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(family, spreadFactor, noiseFactor, cases) * 31 + java.util.Arrays.hashCode(noiseFactors);
        }
    }

    /** The fit for a family, or null when the calibration has none for it. */
    public FamilyFit forFamily(NoiseFamily family) {
        if (families == null) return null;
        for (FamilyFit f : families) if (family.name().equals(f.family())) return f;
        return null;
    }

    /**
     * The estimated error SD of one pixel from its sample spread, local noise sigma and denoised value (modality units)
     * and the slice's noise level (RMS sigma / normalization scale).
     */
    public static float sd(FamilyFit fit, double spread, double sigma, double value, double level) {
        double a = fit.spreadFactor() * spread, b = fit.noiseFactorAt(value, sigma, level) * sigma;
        return (float) Math.sqrt(a * a + b * b);
    }

    /** A slice's noise level as the calibration bins it: the RMS of its sigma map over the normalization's intensity scale. */
    public static double noiseLevel(float[] sigma, double scale) {
        return org.diffdenoise.image.ImageMetrics.rms(sigma) / scale;
    }

    /** A short description for the derived series: the formula with this family's numbers and when it was fitted. */
    public String describe(NoiseFamily family) {
        ErrorSdTable t = tableFor(family);
        if (t != null) return String.format(Locale.ROOT, "calibrated: sd = noise sigma x (%.2g to %.2g by noise correlation, noise level, SNR "
                + "and spread / sigma%s; table in the model metadata), %s fit of %s on %d simulated cases", min(t.ratios()), max(t.ratios()),
                t.interpolated() ? ", interpolated in the last two" : "", family, fitted == null ? "" : fitted, t.cases());
        FamilyFit f = forFamily(family);
        if (f == null) return "uncalibrated (no fit for " + family + ")";
        String noise = f.noiseFactors() == null ? String.format(Locale.ROOT, "%.3g", f.noiseFactor())
                : String.format(Locale.ROOT, "k (%.2g to %.2g by noise level%s, table in the model metadata)", min(f.noiseFactors()),
                max(f.noiseFactors()), f.snrEdges() == null ? "" : " and SNR");
        return String.format(Locale.ROOT, "calibrated: sd = sqrt((%.3g x spread)^2 + (%s x noise sigma)^2), %s fit of %s on %d "
                + "simulated cases", f.spreadFactor(), noise, family, fitted == null ? "" : fitted, f.cases());
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(0);
    }
}
