package org.diffdenoise.api;

/**
 * Identifies the denoiser that produced a result, for provenance.
 *
 * @param method   method name, e.g. "conditioned reverse diffusion (DDIM)"
 * @param name     model name
 * @param version  model version
 * @param sha256   sha256 of the model's weights (hex), or "" when there is no model file
 */
public record ModelDescriptor(String method, String name, String version, String sha256) {
}
