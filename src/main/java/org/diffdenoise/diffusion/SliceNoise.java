package org.diffdenoise.diffusion;

import org.diffdenoise.noise.NoiseEstimate;

/**
 * One slice's noise: as reported (modality units) and as the network sees it (normalized units, its per-pixel sigma
 * map, w x h, the network's conditioning channel, or null for the constant normalized sigma), and the matched start
 * step t* (0: nothing to denoise), and the noise's spatial correlation ({@code NoiseField.correlation}: 1 for white
 * noise or a sigma the user gave), which the uncertainty calibration bins by, and the network's texture input
 * ({@code NoiseTexture}: white for a sigma the user gave).
 */
record SliceNoise(NoiseEstimate modality, NoiseEstimate normalized, int tStar, float[] map, double correlation,
                  float[] texture) {
}
