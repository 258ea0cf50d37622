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
 * @param noiseNote   notes on the input's noise, in words: when the measured noise is spatially correlated, what
 *                    {@code noiseSigma} is then; when a multi-coil MR background floor was removed before denoising, the
 *                    coil count and per-coil sigma read from the air; null when neither applies or for the classical methods
 */
public record ImageDenoising(RandomAccessibleInterval<FloatType> denoised, RandomAccessibleInterval<FloatType> uncertainty,
                             double[] noiseSigma, String device, String noiseNote) {
}
