package org.diffdenoise.model;

import org.diffdenoise.api.NoiseFamily;

/**
 * The network of a conditioned diffusion model: predicts the clean image x0 from the diffusion state x_t,
 * the conditioning channels and the timestep. All images are in normalized units, as flat NHWC float arrays.
 */
public interface DenoisingNetwork extends AutoCloseable {

    /**
     * @param n      batch size
     * @param h      height, a multiple of {@link #sizeMultiple()}
     * @param w      width, a multiple of {@link #sizeMultiple()}
     * @param xt     diffusion state, n*h*w values
     * @param cond   conditioning, n*h*w*{@link #conditionChannels()} values, channels last
     *               (noisy slice, previous slice, next slice, noise-level map)
     * @param t      timestep of each batch item as t / T in [0, 1]
     * @param family the noise model of the images
     * @return predicted x0, n*h*w values
     */
    float[] predictX0(int n, int h, int w, float[] xt, float[] cond, float[] t, NoiseFamily family);

    /**
     * As {@link #predictX0(int, int, int, float[], float[], float[], NoiseFamily)}, with each batch item's noise
     * texture: n*{@link ModelSignature#TEXTURE_CHANNELS} values ({@link NoiseTexture}), or null for white noise in every
     * item. A network without the texture input ({@link #takesTexture()} false) ignores it.
     */
    default float[] predictX0(int n, int h, int w, float[] xt, float[] cond, float[] t, NoiseFamily family, float[] texture) {
        return predictX0(n, h, w, xt, cond, t, family);
    }

    /** Whether the network reads the noise texture (bundles trained with it, since issue 14's run i). */
    default boolean takesTexture() {
        return false;
    }

    /** Number of conditioning channels the network expects. */
    int conditionChannels();

    /** Height and width must be multiples of this. */
    int sizeMultiple();

    /** Where the network runs, e.g. "CPU" or "GPU:0". */
    String device();

    @Override
    void close();
}
