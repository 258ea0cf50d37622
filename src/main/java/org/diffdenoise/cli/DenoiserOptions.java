package org.diffdenoise.cli;

import java.nio.file.Path;

import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.pipeline.DenoiserRegistry;

import picocli.CommandLine.Option;

/** The options that choose and tune the denoiser, shared by {@code denoise} and {@code serve} (a picocli mixin). */
public final class DenoiserOptions {

    @Option(names = "--steps", description = "DDIM steps from the matched noise level to 0 (1-50, default ${DEFAULT-VALUE})")
    int steps = DenoiseSettings.DEFAULT_STEPS;

    @Option(names = "--samples", description = "stochastic samples; more than 1 gives their mean, and the estimated standard deviation of the error as a second derived series (1-32, default ${DEFAULT-VALUE})")
    int samples = DenoiseSettings.DEFAULT_SAMPLES;

    @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
    long seed = DenoiseSettings.DEFAULT_SEED;

    @Option(names = "--sigma", paramLabel = "SIGMA", description = "noise standard deviation in modality units; estimated per slice when omitted")
    Double sigma;

    @Option(names = "--tile", description = "tile size in pixels for large images (default ${DEFAULT-VALUE})")
    int tile = DenoiseSettings.DEFAULT_TILE;

    @Option(names = "--overlap", description = "tile overlap in pixels (default ${DEFAULT-VALUE})")
    int overlap = DenoiseSettings.DEFAULT_OVERLAP;

    @Option(names = "--batch", description = "tiles per network evaluation (default ${DEFAULT-VALUE})")
    int batch = DenoiseSettings.DEFAULT_BATCH;

    @Option(names = "--adapt", description = "adapt the model's noise-level conditioning to each series first, by a self-supervised loss measured on the series itself (for noise the model was not trained on; a few seconds per series, see docs/diffusion.md)")
    boolean adapt;

    @Option(names = "--strength", paramLabel = "FACTOR", description = "factor on the noise level the denoiser works at, estimated or given (0.25-4, default ${DEFAULT-VALUE}): below 1 keeps more fine detail (and noise), e.g. 0.5 where fine anatomy such as lung markings or trabecular bone is smoothed away; above 1 smooths more")
    double strength = DenoiseSettings.DEFAULT_STRENGTH;

    @Option(names = "--keep-coil-floor", description = "keep the background noise floor of multi-coil MR: by default, when a magnitude MR series' air reads as several receive coils, their noise floor is removed before denoising (docs/diffusion.md, \"Multi-coil MR\"); other series are denoised the same either way")
    boolean keepCoilFloor;

    @Option(names = "--model", paramLabel = "BUNDLE_DIR", description = "a model bundle folder (SavedModel + diffdenoise-model.json) instead of the shipped model, or ct-xray-correlated: the shipped model fine-tuned for spatially correlated CT and X-ray noise (docs/model.md)")
    Path model;

    @Option(names = "--method", description = "denoiser: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}); the others are classical baselines for comparison")
    DenoiserRegistry.Method method = DenoiserRegistry.Method.diffusion;

    /** The settings these options give; IllegalArgumentException says which value is out of range. */
    DenoiseSettings settings() {
        return new DenoiseSettings(steps, samples, seed, sigma == null ? Double.NaN : sigma, tile, overlap, batch).withAdapt(adapt)
                .withKeepCoilFloor(keepCoilFloor).withStrength(strength);
    }
}
