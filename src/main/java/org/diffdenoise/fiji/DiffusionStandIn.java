package org.diffdenoise.fiji;

import java.util.Optional;

import org.diffdenoise.api.Denoiser;

/**
 * A denoiser that may stand in for the diffusion model in the Fiji commands, registered as a service provider
 * (META-INF/services) on the plugin's class path: the Fiji tests register a deterministic one they can count and
 * interrupt. Nothing in the product registers one.
 */
public interface DiffusionStandIn {

    /** The denoiser to use instead of the diffusion model, or empty to use the model. */
    Optional<Denoiser> create();
}
