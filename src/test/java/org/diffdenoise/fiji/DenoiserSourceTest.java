package org.diffdenoise.fiji;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.diffdenoise.api.Denoiser;
import org.diffdenoise.classical.MedianDenoiser;
import org.diffdenoise.pipeline.DenoiserRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the Fiji commands get their denoiser: the registry, or a registered stand-in, never a class named at run time. */
class DenoiserSourceTest {

    @AfterEach
    void clear() {
        System.clearProperty(SmoothingTestDenoiser.ACTIVE_PROPERTY);
        System.clearProperty("diffdenoise.fiji.denoiser");
    }

    @Test
    void aRegisteredStandInReplacesOnlyTheDiffusionModel() throws Exception {
        System.setProperty(SmoothingTestDenoiser.ACTIVE_PROPERTY, "true");
        try (Denoiser d = DenoiserSource.create(DenoiserRegistry.Method.diffusion, null)) {
            assertInstanceOf(SmoothingTestDenoiser.class, d);
        }
        try (Denoiser d = DenoiserSource.create(DenoiserRegistry.Method.median, null)) {
            assertInstanceOf(MedianDenoiser.class, d);
        }
    }

    @Test
    void aClassNamedByASystemPropertyIsNeverLoaded(@TempDir Path tmp) {
        // the old test hook: -Ddiffdenoise.fiji.denoiser=CLASS instantiated any class on the class path
        System.setProperty("diffdenoise.fiji.denoiser", SmoothingTestDenoiser.class.getName());
        Path noBundle = tmp.resolve("no-bundle");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> DenoiserSource.create(DenoiserRegistry.Method.diffusion, noBundle).close());
        assertTrue(e.getMessage().contains("no-bundle"), e.getMessage());
    }
}
