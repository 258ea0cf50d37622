package org.diffdenoise.model;

/**
 * The forward diffusion's variance-preserving schedule: x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps,
 * for integer steps t = 0..timesteps, with abar_0 = 1. The values used by a model come from its bundle's metadata.
 *
 * @param type       "cosine" (Nichol and Dhariwal 2021) or "linear" (Ho et al. 2020, beta from betaStart to betaEnd)
 * @param timesteps  number of steps T
 * @param cosineS    the cosine schedule's offset s (0.008 in the paper)
 * @param betaStart  linear schedule's first beta
 * @param betaEnd    linear schedule's last beta
 */
public record NoiseSchedule(String type, int timesteps, double cosineS, double betaStart, double betaEnd) {

    public NoiseSchedule {
        if (timesteps < 1) throw new IllegalArgumentException("timesteps must be positive: " + timesteps);
        if (!"cosine".equals(type) && !"linear".equals(type))
            throw new IllegalArgumentException("unknown noise schedule type '" + type + "' (expected cosine or linear)");
    }

    /** The cosine schedule with T = 1000 and s = 0.008. */
    public static NoiseSchedule cosine(int timesteps) {
        return new NoiseSchedule("cosine", timesteps, 0.008, 0, 0);
    }

    /** abar_t, the fraction of signal variance left at step t (t = 0 gives 1). */
    public double alphaBar(int t) {
        if (t < 0 || t > timesteps) throw new IllegalArgumentException("t out of range 0.." + timesteps + ": " + t);
        if (t == 0) return 1.0;
        if ("cosine".equals(type)) {
            double f0 = Math.cos(cosineS / (1 + cosineS) * Math.PI / 2);
            double ft = Math.cos(((double) t / timesteps + cosineS) / (1 + cosineS) * Math.PI / 2);
            double ab = (ft * ft) / (f0 * f0);
            return Math.max(ab, 1e-9);
        }
        double prod = 1.0;
        for (int i = 1; i <= t; i++) {
            double beta = betaStart + (betaEnd - betaStart) * (i - 1) / Math.max(1, timesteps - 1);
            prod *= 1 - beta;
        }
        return prod;
    }

    /**
     * The noise-to-signal ratio sqrt((1 - abar_t) / abar_t): an observation y = x0 + sigma * n, scaled by sqrt(abar_t),
     * has the same noise level as x_t exactly when sigma equals this ratio.
     */
    public double noiseToSignal(int t) {
        double ab = alphaBar(t);
        return Math.sqrt((1 - ab) / ab);
    }
}
