package org.diffdenoise.diffusion;

import java.util.Arrays;

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

    /** Whether any noise was measured or given (a slice may have noise and still t* 0: fainter than the model denoises). */
    boolean hasNoise() {
        return normalized.sigma() > 0;
    }

    /** The level t* was matched to: the rms of the sigma map, or the constant sigma (normalized units). */
    double representativeSigma() {
        return representative(map, normalized.sigma());
    }

    /** The level t* is matched to: the rms of {@code map}, or {@code sigma} when there is no map (normalized units). */
    static double representative(float[] map, double sigma) {
        return map == null ? sigma : TimestepMatcher.representativeSigma(map);
    }

    /**
     * The same noise with its estimate, as reported, and its sigma map (or constant sigma) times {@code scale}: a
     * corrected estimate, where {@link #scaled} keeps the estimate and changes only the conditioning.
     */
    SliceNoise rescaledEstimate(double scale, TimestepMatcher matcher) {
        SliceNoise s = scaled(scale, matcher);
        NoiseEstimate m = new NoiseEstimate(modality.sigma() * scale, modality.gain() * scale * scale, modality.readSigma() * scale,
                modality.method());
        return new SliceNoise(m, s.normalized(), s.tStar(), s.map(), correlation, texture);
    }

    /**
     * The same noise with the sigma map (or constant sigma) times {@code scale}, t* matched anew: a slice without noise
     * stays so, and one scaled below what the model denoises gets t* 0 ({@link TimestepMatcher#faintest}).
     */
    SliceNoise scaled(double scale, TimestepMatcher matcher) {
        if (scale == 1 || !hasNoise()) return this; // nothing to denoise stays so
        NoiseEstimate s = new NoiseEstimate(normalized.sigma() * scale, normalized.gain() * scale * scale,
                normalized.readSigma() * scale, normalized.method());
        float[] m = null;
        if (map != null) {
            m = map.clone();
            for (int i = 0; i < m.length; i++) m[i] *= (float) scale;
        }
        return new SliceNoise(modality, s, matcher.timestepFor(representative(m, s.sigma())), m, correlation, texture);
    }

    /** The same noise conditioned on {@code map} (normalized units) instead, t* matched to it: for measurements. */
    SliceNoise withMap(float[] map, TimestepMatcher matcher) {
        return new SliceNoise(modality, normalized, matcher.timestepFor(representative(map, normalized.sigma())), map, correlation, texture);
    }

    /** The same noise with a constant map at its normalized sigma (t* matched anew); a slice without a map stays so. */
    SliceNoise flattened(TimestepMatcher matcher) {
        if (map == null) return this;
        float[] flat = new float[map.length];
        Arrays.fill(flat, (float) normalized.sigma());
        return withMap(flat, matcher);
    }
}
