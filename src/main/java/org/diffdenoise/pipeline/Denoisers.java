package org.diffdenoise.pipeline;

import java.nio.file.Path;

import org.diffdenoise.api.Denoiser;

/** Creates the denoisers the front ends offer: the diffusion model (shipped or a user bundle) and classical baselines. */
public final class Denoisers {

    /** The methods a user can choose. */
    public enum Method {
        /** The conditioned reverse-diffusion model (the product). */
        diffusion
    }

    private Denoisers() {
    }

    /**
     * @param method which denoiser
     * @param modelBundle a model bundle folder, or null for the shipped model (diffusion only)
     */
    public static Denoiser create(Method method, Path modelBundle) {
        throw new IllegalStateException("the diffusion model is not wired yet");
    }
}
