package org.diffdenoise.fiji;

import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;

import org.diffdenoise.api.Denoiser;
import org.diffdenoise.pipeline.DenoiserRegistry;

/**
 * Where the commands get their denoiser: {@link DenoiserRegistry#create}, unless a {@link DiffusionStandIn} service
 * provider on the class path replaces the diffusion model (the baselines stay real). Only registered providers of
 * that interface are ever instantiated, never a class named at run time.
 */
final class DenoiserSource {

    private DenoiserSource() {
    }

    /** Creates the denoiser lazily (loading a model is slow, and a study with no readable series need not pay). */
    static Supplier<Denoiser> supplier(DenoiserRegistry.Method method, Path model) {
        return () -> create(method, model);
    }

    static Denoiser create(DenoiserRegistry.Method method, Path model) {
        if (method == DenoiserRegistry.Method.diffusion) {
            Optional<Denoiser> standIn = standIn();
            if (standIn.isPresent()) return standIn.get();
        }
        return DenoiserRegistry.create(method, model);
    }

    /**
     * Looked up with our own class loader: under ImageJ's plugin class loader this class may be a second copy, and its
     * providers must implement that copy's interface.
     */
    private static Optional<Denoiser> standIn() {
        try {
            for (DiffusionStandIn p : ServiceLoader.load(DiffusionStandIn.class, DenoiserSource.class.getClassLoader())) {
                Optional<Denoiser> d = p.create();
                if (d.isPresent()) return d;
            }
            return Optional.empty();
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a registered stand-in for the diffusion model cannot be created: " + e.getMessage(), e);
        }
    }
}
