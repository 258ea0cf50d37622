package org.diffdenoise.fiji;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.diffdenoise.api.Denoiser;
import org.diffdenoise.pipeline.DenoiserRegistry;

/**
 * Where the commands get their denoiser: {@link DenoiserRegistry#create}. The system property {@value #OVERRIDE_PROPERTY}
 * may name a Denoiser class with a public no-argument constructor that replaces the diffusion model (the baselines
 * stay real); the tests use it where they need a deterministic denoiser they can count and interrupt.
 */
final class DenoiserSource {
    static final String OVERRIDE_PROPERTY = "diffdenoise.fiji.denoiser";

    private DenoiserSource() {
    }

    /** Creates the denoiser lazily (loading a model is slow, and a study with no readable series need not pay). */
    static Supplier<Denoiser> supplier(DenoiserRegistry.Method method, Path model) {
        return () -> create(method, model);
    }

    static Denoiser create(DenoiserRegistry.Method method, Path model) {
        String override = System.getProperty(OVERRIDE_PROPERTY);
        if (override == null || override.isBlank() || method != DenoiserRegistry.Method.diffusion) return DenoiserRegistry.create(method, model);
        try {
            Class<?> c = load(override);
            return (Denoiser) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("cannot create the denoiser " + override + " named by -D" + OVERRIDE_PROPERTY + ": " + e, e);
        }
    }

    /** Our own loader first: under ImageJ's plugin class loader, the Denoiser interface must be the same class. */
    private static Class<?> load(String name) throws ClassNotFoundException {
        try {
            return Class.forName(name, true, DenoiserSource.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context == null) throw e;
            return Class.forName(name, true, context);
        }
    }
}
