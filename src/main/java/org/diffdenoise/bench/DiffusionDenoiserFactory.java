package org.diffdenoise.bench;

import org.diffdenoise.api.Denoiser;

import java.util.Optional;

/**
 * The one place where the benchmark obtains the diffusion denoiser, so that the bench package builds before the
 * diffusion and model packages exist. To wire it: return
 * {@code new DiffusionDenoiser(bundle.network(), bundle.schedule(), bundle.descriptor())} for
 * {@code ModelBundle.loadDefault()} ("default") or {@code ModelBundle.load(Path.of(spec))}.
 */
public final class DiffusionDenoiserFactory {

    private DiffusionDenoiserFactory() {
    }

    /**
     * @param spec "default" or a path to a model bundle
     * @return the denoiser, or empty with the reason printed when no diffusion model is available in this build
     */
    public static Optional<Denoiser> create(String spec) {
        System.err.println("[bench] diffusion denoiser is not wired into this build (DiffusionDenoiserFactory); "
                + "running the classical baselines only (requested: " + spec + ")");
        return Optional.empty();
    }
}
