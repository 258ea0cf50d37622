package org.diffdenoise.bench;

import org.diffdenoise.api.Denoiser;
import org.diffdenoise.diffusion.DiffusionDenoiser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/** The one place where the benchmark obtains the diffusion denoiser: the shipped bundle or a bundle folder. */
public final class DiffusionDenoiserFactory {

    private DiffusionDenoiserFactory() {
    }

    /**
     * @param spec "default" (the shipped bundle), a path to a model bundle folder, or "none"
     * @return the denoiser, or empty for "none"
     * @throws UncheckedIOException naming the bundle when it cannot be loaded
     */
    public static Optional<Denoiser> create(String spec) {
        if (spec.equals("none")) return Optional.empty();
        try {
            return Optional.of(DiffusionDenoiser.open(spec.equals("default") ? null : Path.of(spec)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model bundle '" + spec + "': " + e.getMessage(), e);
        }
    }
}
