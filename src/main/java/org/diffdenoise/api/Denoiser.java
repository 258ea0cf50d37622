package org.diffdenoise.api;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

/** Denoises a stack of slices given in modality units; the pipeline accepts any implementation. */
public interface Denoiser extends AutoCloseable {

    /**
     * Denoises every slice of {@code stack} (dimensions x, y, slice; a 2D image is one slice).
     * Neighbouring slices may be used as context. Checks {@code cancel} between slices.
     *
     * @throws CancelledException when cancelled
     */
    DenoiseResult denoise(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings,
                          ProgressListener progress, CancelToken cancel);

    /** What to record as provenance for this denoiser. */
    ModelDescriptor describe();

    /** Releases native resources; the default does nothing. */
    @Override
    default void close() {
    }
}
