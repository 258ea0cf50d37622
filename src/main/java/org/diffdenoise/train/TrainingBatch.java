package org.diffdenoise.train;

/**
 * One batch of training examples, flat NHWC arrays in normalized units.
 *
 * @param n        batch size
 * @param size     patch height and width
 * @param xt       diffusion state, n*size*size
 * @param cond     conditioning, n*size*size*4 (noisy slice, previous, next, sigma map)
 * @param t        step / T per item
 * @param alphaBar abar(t) per item
 * @param family   one-hot noise family, n*3
 * @param clean    clean target, n*size*size
 * @param texture  noise texture ({@code NoiseTexture}), n*{@code ModelSignature.TEXTURE_CHANNELS}; fed only to a network
 *                 with the texture input
 */
public record TrainingBatch(int n, int size, float[] xt, float[] cond, float[] t, float[] alphaBar, float[] family,
        float[] clean, float[] texture) {
}
