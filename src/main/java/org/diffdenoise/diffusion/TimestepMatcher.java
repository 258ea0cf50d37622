package org.diffdenoise.diffusion;

import org.diffdenoise.model.NoiseSchedule;

/**
 * Maps a noise level in normalized units to the diffusion step t* whose noise-to-signal ratio first reaches it.
 * The training code uses the same rule, so the network sees at inference the (sigma, t) pairs it was trained on.
 */
public final class TimestepMatcher {

    /**
     * Noise below the first step's level divided by this is left as it is (t* 0). The first step already stands for
     * noise of 0.64 % of the normalized range (the default schedule), so fainter noise was denoised as if it were that
     * strong: a real head CT (Toshiba, 3 HU of noise in a range of about 3000 HU) lost its contrast-filled vessels and
     * its grey-white contrast even with a sigma of 1 HU given. Between this level and the first step's, a share of the
     * step's change is kept ({@link #firstStepShare}). Up to this factor the model's conditioning stays within
     * what the upper air bound of MR allows; training draws no noise below 0.5 % of the range, so it never reaches it.
     */
    public static final double BELOW_FIRST_STEP = 3;

    private final NoiseSchedule schedule;
    /** noiseToSignal(t) for t = 0..T; increasing in t, cached because the linear schedule's alphaBar is O(t). */
    private final double[] ratio;

    public TimestepMatcher(NoiseSchedule schedule) {
        this.schedule = schedule;
        ratio = new double[schedule.timesteps() + 1];
        for (int t = 0; t <= schedule.timesteps(); t++) ratio[t] = schedule.noiseToSignal(t);
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /** The faintest noise (normalized units) that is denoised: the first step's level over {@link #BELOW_FIRST_STEP}. */
    public double faintest() {
        return ratio[1] / BELOW_FIRST_STEP;
    }

    /**
     * The share of the first step's change kept for noise of {@code sigma} (normalized units) matched to it
     * ({@link FirstStepBlend}): sigma over the first step's level, at most 1.
     */
    public double firstStepShare(double sigma) {
        return Math.min(1, Math.max(0, sigma / ratio[1]));
    }

    /**
     * The smallest t in 1..T with noiseToSignal(t) >= sigma, clamped to T; 0 (nothing to do) when sigma <= 0 or below
     * the first step's level over {@link #BELOW_FIRST_STEP}.
     *
     * @param sigma noise standard deviation in normalized units
     */
    public int timestepFor(double sigma) {
        if (Double.isNaN(sigma)) throw new IllegalArgumentException("noise level is NaN");
        if (sigma <= 0 || sigma < faintest()) return 0;
        int lo = 1, hi = schedule.timesteps();
        if (ratio[hi] < sigma) return hi;
        // binary search for the first t with ratio[t] >= sigma
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ratio[mid] >= sigma) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /**
     * The scalar noise level used to pick t* for a spatially varying sigma map: its root mean square over the
     * finite entries (for a constant map this is the constant). Returns 0 for an empty map.
     */
    public static double representativeSigma(float[] sigmaMap) {
        double s2 = 0;
        long n = 0;
        for (float s : sigmaMap) {
            if (Float.isFinite(s)) {
                s2 += (double) s * s;
                n++;
            }
        }
        return n == 0 ? 0 : Math.sqrt(s2 / n);
    }
}
