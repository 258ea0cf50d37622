package org.diffdenoise.api;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The output of a {@link Denoiser}, in the same modality units and shape (x, y, slice) as its input.
 *
 * @param denoised     the denoised stack (mean of the samples)
 * @param uncertainty  per-pixel uncertainty map (modality units; see {@code uncertaintyMeaning}), or null when one
 *                     sample was taken
 * @param uncertaintyMeaning what the uncertainty values are, in words (a calibrated error SD, or the raw spread of the
 *                     samples); null when there is no map
 * @param noiseSigma   the noise standard deviation used for each slice, in modality units
 * @param device       where the network ran, e.g. "CPU" or "GPU:0"; "" for networks without a device
 * @param adaptation   what the per-series adaptation chose, in words ("sigma map x 1.41, picked from ..."), or null
 *                     when none was asked for
 * @param noiseNote    notes on the input's noise, in words, or null: what {@code noiseSigma} is when the noise is spatially
 *                     correlated; that a multi-coil background floor was removed before denoising (or kept, as asked);
 *                     that MR's estimated level was bounded by the noise of its air, or that it could not be checked
 *                     against air (null: none of these, e.g. white noise, a sigma the user gave, or a denoiser that
 *                     does not measure it)
 */
public record DenoiseResult(RandomAccessibleInterval<FloatType> denoised, RandomAccessibleInterval<FloatType> uncertainty,
                            double[] noiseSigma, String device, String uncertaintyMeaning, String adaptation, String noiseNote) {

    /** A result without a note on the noise. */
    public DenoiseResult(RandomAccessibleInterval<FloatType> denoised, RandomAccessibleInterval<FloatType> uncertainty,
                         double[] noiseSigma, String device, String uncertaintyMeaning, String adaptation) {
        this(denoised, uncertainty, noiseSigma, device, uncertaintyMeaning, adaptation, null);
    }

    /** A result without per-series adaptation. */
    public DenoiseResult(RandomAccessibleInterval<FloatType> denoised, RandomAccessibleInterval<FloatType> uncertainty,
                         double[] noiseSigma, String device, String uncertaintyMeaning) {
        this(denoised, uncertainty, noiseSigma, device, uncertaintyMeaning, null);
    }

    /** A result whose uncertainty map, if any, is the plain standard deviation across the samples. */
    public DenoiseResult(RandomAccessibleInterval<FloatType> denoised, RandomAccessibleInterval<FloatType> uncertainty,
                         double[] noiseSigma, String device) {
        this(denoised, uncertainty, noiseSigma, device, uncertainty == null ? null : SAMPLE_SD);
    }

    /** A short title for the uncertainty map: what it is and from how many samples. */
    public String uncertaintyLabel(int samples) {
        return (SAMPLE_SD.equals(uncertaintyMeaning) || uncertaintyMeaning == null ? "SD of " : "estimated error SD from ") + samples + " samples";
    }

    /** The meaning of an uncalibrated map. */
    public static final String SAMPLE_SD = "per-pixel standard deviation across the samples (uncalibrated: not an error estimate)";
}
