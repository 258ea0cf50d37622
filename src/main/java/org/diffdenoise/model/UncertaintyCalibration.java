package org.diffdenoise.model;

import java.util.List;
import java.util.Locale;

import org.diffdenoise.api.NoiseFamily;

/**
 * How a bundle turns the spread of its stochastic samples into an estimated standard deviation of the error of the
 * denoised value, in modality units: per noise family, sd = sqrt((spreadFactor * spread)^2 + (noiseFactor * sigma)^2),
 * where spread is the per-pixel standard deviation across the samples and sigma the local noise standard deviation
 * of the input (the slice's noise estimate; for X-ray its signal-dependent map). Stored in diffdenoise-model.json
 * with how it was fitted, so the coordinator can refit it for a new network ({@code diffdenoise model calibrate}).
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
 */
public record UncertaintyCalibration(String quantity, String formula, double eta, int steps, int samples,
        List<FamilyFit> families, String fittedOn, String fitted, String command) {

    /** The quantity a calibrated map holds. */
    public static final String QUANTITY = "estimated standard deviation of the error of the denoised value (modality units)";
    /** The formula, in words. */
    public static final String FORMULA = "sd = sqrt((spreadFactor * spread)^2 + (noiseFactor * sigma)^2); spread = per-pixel "
            + "standard deviation across the samples (DDIM, eta as recorded), sigma = local noise standard deviation of the input";

    /**
     * One family's factors and how well they did on the fitting data.
     *
     * @param cases    images x noise levels it was fitted on
     * @param coverage fraction of fitting pixels with |error| <= 2 sd
     * @param spreadOnlyFactor the factor of the alternative fitted for comparison, sd = factor * spread (not used)
     */
    public record FamilyFit(String family, double spreadFactor, double noiseFactor, int cases, double coverage,
                            double spreadOnlyFactor) {
    }

    /** The fit for a family, or null when the calibration has none for it. */
    public FamilyFit forFamily(NoiseFamily family) {
        if (families == null) return null;
        for (FamilyFit f : families) if (family.name().equals(f.family())) return f;
        return null;
    }

    /** The estimated error SD of one pixel from its sample spread and local noise sigma (modality units). */
    public static float sd(FamilyFit fit, double spread, double sigma) {
        double a = fit.spreadFactor() * spread, b = fit.noiseFactor() * sigma;
        return (float) Math.sqrt(a * a + b * b);
    }

    /** A short description for the derived series: the formula with this family's numbers and when it was fitted. */
    public String describe(NoiseFamily family) {
        FamilyFit f = forFamily(family);
        if (f == null) return "uncalibrated (no fit for " + family + ")";
        return String.format(Locale.ROOT, "calibrated: sd = sqrt((%.3g x spread)^2 + (%.3g x noise sigma)^2), %s fit of %s on %d "
                + "simulated cases", f.spreadFactor(), f.noiseFactor(), family, fitted == null ? "" : fitted, f.cases());
    }
}
