package org.diffdenoise.api;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The output of a {@link Denoiser}, in the same modality units and shape (x, y, slice) as its input.
 *
 * @param denoised     the denoised stack (mean of the samples)
 * @param uncertainty  per-pixel standard deviation across samples, or null when one sample was taken
 * @param noiseSigma   the noise standard deviation used for each slice, in modality units
 * @param device       where the network ran, e.g. "CPU" or "GPU:0"; "" for networks without a device
 */
public record DenoiseResult(RandomAccessibleInterval<FloatType> denoised, RandomAccessibleInterval<FloatType> uncertainty,
                            double[] noiseSigma, String device) {
}
