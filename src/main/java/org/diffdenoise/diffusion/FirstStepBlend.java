package org.diffdenoise.diffusion;

/**
 * Denoising below the first diffusion step's noise level: a slice matched to t* = 1 whose noise is only a share of the
 * level that step stands for keeps that share of the step's change, {@code input + share * (denoised - input)}, with
 * share = sigma / first step's level (1 for every slice at or above that level, and for slices left as they are).
 *
 * <p>Why: the schedule's first step stands for noise of 0.64 % of the normalized range, and noise down to a third of it
 * was denoised as if it were that strong, smoothing fine anatomy away (a Fuji CR chest's lung markings at strength 0.5).
 * The network is also given the slice's sigma map and already removes less than at the full level, so the share is
 * linear in sigma rather than Tweedie's (sigma / level)^2, which would count that twice. Measured with known truth
 * (white noise at 0.35-0.95 of the first step's level on Colin27 T1, the MR phantom and the CR chest, two draws;
 * docs/diffusion.md, "Below the first step"): +0.02 to +3.5 dB over the full step in all 30 cases, within 0.4 dB of the
 * best fixed share of each case.
 */
record FirstStepBlend(double[] share) {

    /** The share of each slice of {@code noise} (as the network is conditioned). */
    static FirstStepBlend of(SliceNoise[] noise, TimestepMatcher matcher) {
        double[] share = new double[noise.length];
        for (int z = 0; z < noise.length; z++)
            share[z] = noise[z].tStar() == 1 ? matcher.firstStepShare(noise[z].representativeSigma()) : 1;
        return new FirstStepBlend(share);
    }

    /** No slice blended: every slice takes its whole step (for measurements). */
    static FirstStepBlend none(int slices) {
        double[] share = new double[slices];
        java.util.Arrays.fill(share, 1);
        return new FirstStepBlend(share);
    }

    /** What was blended, in words, or null when no slice was. */
    String note() {
        int n = 0;
        double lo = 1, hi = 0;
        for (double s : share) {
            if (s >= 1) continue;
            n++;
            lo = Math.min(lo, s);
            hi = Math.max(hi, s);
        }
        if (n == 0) return null;
        String range = Math.round(100 * lo) == Math.round(100 * hi) ? String.format(java.util.Locale.ROOT, "%.0f %%", 100 * lo)
                : String.format(java.util.Locale.ROOT, "%.0f to %.0f %%", 100 * lo, 100 * hi);
        return String.format(java.util.Locale.ROOT, "%d of %d slice(s) below the model's first diffusion step: %s of that step's "
                + "change kept (their noise over the step's level)", n, share.length, range);
    }

    /** Moves slice z's {@code denoised} values (modality units, in place) back toward its {@code input} by its share. */
    void apply(float[] denoised, float[] input, int z) {
        double s = share[z];
        if (s >= 1) return;
        for (int i = 0; i < denoised.length; i++)
            if (Float.isFinite(input[i])) denoised[i] = (float) (input[i] + s * (denoised[i] - input[i]));
    }
}
