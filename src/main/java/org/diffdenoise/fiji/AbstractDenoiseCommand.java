package org.diffdenoise.fiji;

import java.io.File;

import org.diffdenoise.api.DenoiseSettings;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.widget.FileWidget;

/**
 * The denoiser parameters the SciJava commands share, named as the ImageJ 1 macro keys (steps, samples, seed,
 * noise_sigma, strength, method, model, adapt, keep_coil_floor), validated by the same {@link DenoiseParameters#of} as the ImageJ 1 dialogs; and the
 * outputs a script reads back (written, failed, report, error). Nothing is remembered between calls (persist =
 * false): a script that leaves a parameter out gets the built-in default on every machine, as a recorded macro does.
 */
abstract class AbstractDenoiseCommand implements Command {

    @Parameter(persist = false, label = "Steps", min = "1", max = "50", description = "DDIM steps (1-50); more is slower and smoother")
    int steps = DenoiseSettings.DEFAULT_STEPS;

    @Parameter(persist = false, label = "Samples", min = "1", max = "32", description = "several samples give their mean and an uncertainty (SD) image")
    int samples = DenoiseSettings.DEFAULT_SAMPLES;

    @Parameter(persist = false, label = "Seed", description = "the same seed gives the same result")
    long seed = DenoiseSettings.DEFAULT_SEED;

    @Parameter(persist = false, label = "Noise sigma (modality units)", required = false,
            description = "noise standard deviation in modality units (MR signal, HU for CT); empty: estimated per slice")
    String noise_sigma = "";

    @Parameter(persist = false, label = "Strength (x the noise level)", min = "0.25", max = "4", stepSize = "0.05",
            description = "factor on the noise level, estimated or given: below 1 keeps more fine detail and noise, above 1 smooths more; 1 with several samples")
    double strength = DenoiseSettings.DEFAULT_STRENGTH;

    @Parameter(persist = false, label = "Method", choices = {"diffusion", "nlm", "tv", "wavelet", "gaussian", "median"},
            description = "the diffusion model, or a classical denoiser for comparison")
    String method = "diffusion";

    @Parameter(persist = false, label = "Model bundle folder", required = false, style = FileWidget.DIRECTORY_STYLE,
            description = "a model bundle folder; empty: the shipped model")
    File model;

    @Parameter(persist = false, label = "Adapt to each series", required = false,
            description = "first adapt the noise-level conditioning to each series by a self-supervised loss (a few seconds more)")
    boolean adapt;

    @Parameter(persist = false, label = "Keep multi-coil noise floor", required = false,
            description = "multi-coil MR keeps its background noise floor (by default it is removed before denoising when the air reads as several coils)")
    boolean keep_coil_floor;

    @Parameter(type = ItemIO.OUTPUT, label = "Series written")
    int written;

    @Parameter(type = ItemIO.OUTPUT, label = "Series failed")
    int failed;

    @Parameter(type = ItemIO.OUTPUT, label = "Report (STATUS, UID, message per series)")
    String report;

    @Parameter(type = ItemIO.OUTPUT, label = "Error (empty when it ran)")
    String error;

    @Parameter(required = false)
    LogService log;

    /** The validated parameters (the same messages as the dialogs' when a value is out of range). */
    DenoiseParameters parameters() {
        return DenoiseParameters.of(steps, samples, seed, noise_sigma == null ? "" : noise_sigma.trim(),
                method == null ? "diffusion" : method, model == null ? "" : model.getPath(), adapt,
                keep_coil_floor, strength);
    }

    /** Runs the shared implementation; whatever happens ends up in the outputs (and the Log), never lost. */
    void runReported(String title, Runnable body) {
        MacroResults.clear();
        RunMode.guarded(title, () -> {
            try {
                body.run();
            } catch (IllegalArgumentException e) {
                RunMode.error(title, e.getMessage());
            }
        });
        written = Integer.parseInt(MacroResults.written());
        failed = Integer.parseInt(MacroResults.failed());
        report = MacroResults.report();
        error = MacroResults.error();
        if (log != null && !error.isEmpty()) log.error("DiffDenoise: " + error);
    }
}
