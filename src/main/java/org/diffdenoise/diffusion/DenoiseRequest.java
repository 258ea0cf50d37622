package org.diffdenoise.diffusion;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;

/** One call of the diffusion denoiser: the stack, its noise family, the settings, and where progress and cancel go. */
record DenoiseRequest(SliceStack stack, NoiseFamily family, DenoiseSettings settings, ProgressListener progress,
                      CancelToken cancel) {

    /** The same request on another stack of the same shape. */
    DenoiseRequest withStack(SliceStack s) {
        return new DenoiseRequest(s, family, settings, progress, cancel);
    }

    /** The request of a {@code denoise} call; null progress and cancel mean none. */
    static DenoiseRequest of(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings,
                             ProgressListener progress, CancelToken cancel) {
        return new DenoiseRequest(SliceStack.of(stack), family, settings, progress == null ? ProgressListener.NONE : progress,
                cancel == null ? CancelToken.none() : cancel);
    }
}
