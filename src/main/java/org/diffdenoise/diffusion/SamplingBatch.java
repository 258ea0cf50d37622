package org.diffdenoise.diffusion;

import org.diffdenoise.api.NoiseFamily;

/**
 * What the sampler is asked for: n images of h x w (h and w multiples of the network's size multiple) with their
 * n*h*w*C conditioning values (channels last; channel 0 is the noisy image y), a start step t* per item (0 returns y
 * unchanged), k steps, eta (0 for deterministic sampling), one noise seed per item (unused when eta = 0) and the
 * offset of the per-step mirrors (sample s of several uses s, so the samples also differ in the orientations their
 * steps see), and each item's noise texture (n*{@code ModelSignature.TEXTURE_CHANNELS} values, {@code NoiseTexture};
 * null: white noise in every item).
 */
public record SamplingBatch(int n, int h, int w, float[] cond, int[] tStar, int steps, double eta, long[] noiseSeeds,
                            int flipOffset, NoiseFamily family, float[] texture) {
}
