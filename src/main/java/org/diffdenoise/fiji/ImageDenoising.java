package org.diffdenoise.fiji;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

/**
 * What {@link DenoiseService} returns for an image: the same shape as the input, in its units.
 *
 * @param denoised    the denoised image (mean of the samples)
 * @param uncertainty per-pixel standard deviation of the samples, or null with one sample
 * @param noiseSigma  the noise level used for each slice (estimated unless given)
 * @param device      where the network ran ("CPU", "GPU:0"; "" for classical methods)
 * @param noiseNote   notes on the input's noise, in words ({@code DenoiseResult.noiseNote}): what {@code noiseSigma} is
 *                    for spatially correlated noise; a multi-coil MR background floor removed or kept; an MR level bounded
 *                    by the noise of its air, or not checked against air; null when none applies or for the classical
 *                    methods
 */
public record ImageDenoising(RandomAccessibleInterval<FloatType> denoised, RandomAccessibleInterval<FloatType> uncertainty,
                             double[] noiseSigma, String device, String noiseNote) {
}
