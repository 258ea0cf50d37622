package org.diffdenoise.noise;

/**
 * One simulated noisy image with its truth.
 *
 * @param noisy     the noisy image (w x h, row-major, the clean image's units)
 * @param reference what a perfect denoiser should return: the clean image, or for zero-filled MR the noise-free
 *                  image at the acquired resolution
 * @param sigmaMap  the true per-pixel standard deviation of the inserted noise (for MR magnitude: of the complex
 *                  noise per component, which the magnitude has where the signal is well above it)
 */
public record NoiseRealization(float[] noisy, float[] reference, float[] sigmaMap) {

    /** Root mean square of the sigma map. */
    public double rmsSigma() {
        return rms(sigmaMap);
    }

    static double rms(float[] v) {
        return org.diffdenoise.image.ImageMetrics.rms(v);
    }
}
