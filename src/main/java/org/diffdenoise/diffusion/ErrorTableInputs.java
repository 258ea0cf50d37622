package org.diffdenoise.diffusion;

import java.util.Arrays;

import org.diffdenoise.model.UncertaintyCalibration;

/**
 * What a slice's error table is looked up with, besides each pixel's spread and denoised value: the local noise sigma
 * the network was conditioned on (modality units), the slice's noise level (its RMS over the normalization's scale) and
 * the noise's spatial correlation. The calibrated map and {@code model calibrate}'s fit both take these from here, so
 * the table is fitted with the sigma it is applied to (issue 16).
 *
 * @param sigma       per-pixel noise sigma, modality units (w x h)
 * @param level       RMS of {@code sigma} over the normalization's scale
 * @param correlation the noise field's scale-2 / scale-1 variance ratio (1: white noise or a sigma the user gave)
 */
public record ErrorTableInputs(float[] sigma, double level, double correlation) {

    /**
     * A slice's inputs: its conditioning map in modality units (after the MR air level and the coil floor's removal),
     * or the constant sigma the user gave.
     *
     * @param pixels the slice's pixel count
     * @param scale  the normalization's scale
     */
    static ErrorTableInputs of(SliceNoise noise, int pixels, double scale) {
        float[] sigma = new float[pixels];
        if (noise.map() == null) Arrays.fill(sigma, (float) noise.modality().sigma());
        else for (int i = 0; i < pixels; i++) sigma[i] = (float) (noise.map()[i] * scale);
        return new ErrorTableInputs(sigma, UncertaintyCalibration.noiseLevel(sigma, scale), noise.correlation());
    }
}
