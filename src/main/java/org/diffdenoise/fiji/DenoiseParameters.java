package org.diffdenoise.fiji;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;

import ij.Prefs;
import ij.gui.GenericDialog;

import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.pipeline.DenoiserRegistry;

/**
 * The denoiser fields every command's dialog shares, their macro keys (steps, samples, seed, noise_sigma, strength,
 * method, model, adapt, keep_coil_floor) and their validation. Interactive runs start from the values remembered in IJ_Prefs; macro runs start from
 * the built-in defaults so that a recorded macro gives the same result on every machine.
 *
 * @param settings the validated denoiser settings
 * @param method   which denoiser
 * @param model    a model bundle folder, or null for the shipped model
 */
record DenoiseParameters(DenoiseSettings settings, DenoiserRegistry.Method method, Path model) {

    static final String PREFS = "diffdenoise.";

    /** The fields' help, for each dialog's Help button (after the command's own paragraph). */
    static final String FIELDS_HELP = "<p><b>Steps</b> (1-50, default 2): reverse-diffusion (DDIM) steps from the matched noise level; "
            + "more steps take longer and smooth a little more.<br><b>Samples</b> (1-32, default 1): several samples are "
            + "averaged; their per-pixel standard deviation is the uncertainty image/series.<br><b>Seed</b>: the same seed "
            + "gives the same result.<br><b>Noise sigma</b>: the noise standard deviation in <i>modality units</i> (the "
            + "values after Rescale Slope/Intercept: HU for CT, the scanner's signal scale for MR, detector units for "
            + "X-ray); leave it empty to estimate it per slice (Rician-aware for MR).<br><b>Strength</b> (0.25-4, default 1): "
            + "a factor on that noise level, estimated or given; below 1 keeps more fine detail and more noise (e.g. 0.5 where "
            + "lung markings or trabecular bone are smoothed away), above 1 smooths more; with several samples only 1 "
            + "(the uncertainty is calibrated there; macro key <i>strength</i>).<br><b>Method</b>: <i>diffusion</i> "
            + "is the model; nlm, tv, wavelet, gaussian and median are classical denoisers for comparison.<br>"
            + "<b>Model</b>: a model bundle folder, or <i>ct-xray-correlated</i> (the shipped model fine-tuned for correlated CT and X-ray noise; empty: the shipped default model).<br><b>Adapt</b>: first adapt the model's "
            + "noise-level conditioning to each series by a self-supervised loss measured on the series itself, for noise "
            + "the model was not trained on (a few seconds per series; macro key <i>adapt</i>).<br><b>Keep coil floor</b>: multi-coil "
            + "magnitude MR keeps its background noise floor; by default, when a series' air reads as several receive coils, "
            + "their floor is removed before denoising, and the Log says so (macro key <i>keep_coil_floor</i>).</p>"
            + "<p>In a macro every key has its built-in default unless given; the Log and "
            + "call(\"org.diffdenoise.fiji.MacroResults.error\") say what went wrong.</p>";

    /** Wraps a command's paragraph and the fields' help as the HTML a GenericDialog's Help button shows. */
    static String help(String title, String what) {
        return "<html><h3>DiffDenoise - " + title + "</h3><p>" + what + "</p>" + FIELDS_HELP + "</html>";
    }

    /** Adds the shared fields to {@code gd}; the noise level is in modality units. */
    static void addFields(GenericDialog gd) {
        addFields(gd, "modality units");
    }

    /**
     * Adds the shared fields to {@code gd}.
     *
     * @param unit the unit of the noise level shown in its label ("HU", "modality units" ...); the macro key stays noise_sigma
     */
    static void addFields(GenericDialog gd, String unit) {
        DenoiseSettings d = DenoiseSettings.defaults();
        gd.addNumericField("Steps (1-50)", remembered("steps", d.steps()), 0);
        gd.addNumericField("Samples (1-32)", remembered("samples", d.samples()), 0);
        gd.addNumericField("Seed", remembered("seed", d.seed()), 0);
        gd.addStringField("Noise_sigma (" + unit + "; empty: estimate per slice)", remembered("noise_sigma", ""), 8);
        gd.addNumericField("Strength (x the noise level; below 1 keeps more detail)", remembered("strength", d.strength()), 2);
        String[] methods = Arrays.stream(DenoiserRegistry.Method.values()).map(Enum::name).toArray(String[]::new);
        String method = remembered("method", DenoiserRegistry.Method.values()[0].name());
        gd.addChoice("Method", methods, Arrays.asList(methods).contains(method) ? method : methods[0]);
        RunMode.addFolderField(gd, "Model (empty: shipped model)", remembered("model", ""));
        gd.addCheckbox("Adapt to each series (self-supervised, a few seconds more)", remembered("adapt", false));
        gd.addCheckbox("Keep_coil_floor (multi-coil MR: leave the background's noise floor in)", remembered("keep_coil_floor", false));
    }

    /**
     * Reads the shared fields back (in the order {@link #addFields} added them).
     *
     * @throws IllegalArgumentException with a message for the user when a value is out of range
     */
    static DenoiseParameters read(GenericDialog gd) {
        double steps = gd.getNextNumber();
        double samples = gd.getNextNumber();
        double seed = gd.getNextNumber();
        double strength = gd.getNextNumber();
        String sigmaText = gd.getNextString().trim();
        String methodName = gd.getNextChoice();
        String modelText = gd.getNextString().trim();
        boolean adapt = gd.getNextBoolean();
        boolean keepCoilFloor = gd.getNextBoolean();
        return of(steps, samples, seed, sigmaText, methodName, modelText, adapt, keepCoilFloor, strength);
    }

    /** Validates raw dialog values, without per-series adaptation and with a multi-coil floor removed (the defaults). */
    static DenoiseParameters of(double steps, double samples, double seed, String sigmaText, String methodName,
                                String modelText) {
        return of(steps, samples, seed, sigmaText, methodName, modelText, false, false);
    }

    /** Validates raw dialog values at strength 1. */
    static DenoiseParameters of(double steps, double samples, double seed, String sigmaText, String methodName,
                                String modelText, boolean adapt, boolean keepCoilFloor) {
        return of(steps, samples, seed, sigmaText, methodName, modelText, adapt, keepCoilFloor, DenoiseSettings.DEFAULT_STRENGTH);
    }

    /** Validates raw dialog values; every message says which field and what is allowed. */
    static DenoiseParameters of(double steps, double samples, double seed, String sigmaText, String methodName,
                                String modelText, boolean adapt, boolean keepCoilFloor, double strength) {
        int st = wholeNumber("Steps", steps, 1, 50);
        int sa = wholeNumber("Samples", samples, 1, 32);
        if (Double.isNaN(seed) || seed != Math.rint(seed) || Math.abs(seed) > 9.007199254740992E15)
            throw new IllegalArgumentException("Seed must be a whole number, got " + format(seed));
        double sigma = Double.NaN;
        if (!sigmaText.isEmpty()) {
            try {
                sigma = Double.parseDouble(sigmaText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Noise sigma must be a number in modality units, or empty to estimate it, got \"" + sigmaText + "\"");
            }
            if (!(sigma >= 0) || Double.isInfinite(sigma))
                throw new IllegalArgumentException("Noise sigma must be zero or positive (modality units), got " + sigmaText);
        }
        DenoiserRegistry.Method method;
        try {
            method = DenoiserRegistry.Method.valueOf(methodName.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Method must be one of " + Arrays.toString(DenoiserRegistry.Method.values()) + ", got \"" + methodName + "\"");
        }
        Path model = null;
        if (!modelText.isEmpty()) {
            model = Paths.get(modelText);
            if (!Files.isDirectory(model) && ModelBundle.shippedResource(model) == null)
                throw new IllegalArgumentException("Model folder does not exist: " + modelText + " (a bundle folder, or the name of a "
                        + "shipped model: " + String.join(", ", new java.util.TreeSet<>(ModelBundle.SHIPPED.keySet())) + ")");
        }
        if (!(strength >= DenoiseSettings.MIN_STRENGTH && strength <= DenoiseSettings.MAX_STRENGTH))
            throw new IllegalArgumentException("Strength must be a number from " + format(DenoiseSettings.MIN_STRENGTH) + " to "
                    + format(DenoiseSettings.MAX_STRENGTH) + " (1: the noise level itself), got " + format(strength));
        if (sa > 1 && strength != DenoiseSettings.DEFAULT_STRENGTH)
            throw new IllegalArgumentException("Strength must be 1 with several samples: the uncertainty image is calibrated at the "
                    + "noise level itself (got strength " + format(strength) + " with " + sa + " samples)");
        DenoiseSettings settings = DenoiseSettings.defaults().withSteps(st).withSeed((long) seed).withNoiseSigma(sigma)
                .withAdapt(adapt).withKeepCoilFloor(keepCoilFloor).withStrength(strength).withSamples(sa);
        return new DenoiseParameters(settings, method, model);
    }

    /** Remembers these values for the next interactive run. */
    void remember() {
        Prefs.set(PREFS + "steps", settings.steps());
        Prefs.set(PREFS + "samples", settings.samples());
        Prefs.set(PREFS + "seed", Long.toString(settings.seed()));
        Prefs.set(PREFS + "noise_sigma", Double.isNaN(settings.noiseSigma()) ? "" : Double.toString(settings.noiseSigma()));
        Prefs.set(PREFS + "method", method.name());
        Prefs.set(PREFS + "model", model == null ? "" : model.toString());
        Prefs.set(PREFS + "strength", settings.strength());
        Prefs.set(PREFS + "adapt", settings.adapt());
        Prefs.set(PREFS + "keep_coil_floor", settings.keepCoilFloor());
    }

    /** A remembered number, or the built-in default in a macro run. */
    static double remembered(String key, double def) {
        if (RunMode.fromMacro()) return def;
        return Prefs.get(PREFS + key, def);
    }

    /** A remembered string, or the built-in default in a macro run. */
    static String remembered(String key, String def) {
        if (RunMode.fromMacro()) return def;
        return Prefs.get(PREFS + key, def);
    }

    static boolean remembered(String key, boolean def) {
        if (RunMode.fromMacro()) return def;
        return Prefs.get(PREFS + key, def);
    }

    static void remember(String key, String value) {
        if (!RunMode.fromMacro()) Prefs.set(PREFS + key, value);
    }

    static void remember(String key, boolean value) {
        if (!RunMode.fromMacro()) Prefs.set(PREFS + key, value);
    }

    private static int wholeNumber(String field, double v, int min, int max) {
        if (Double.isNaN(v) || v != Math.rint(v) || v < min || v > max)
            throw new IllegalArgumentException(field + " must be a whole number from " + min + " to " + max + ", got " + format(v));
        return (int) v;
    }

    private static String format(double v) {
        if (Double.isNaN(v)) return "an invalid number";
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
