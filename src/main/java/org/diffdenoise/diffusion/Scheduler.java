package org.diffdenoise.diffusion;

import org.diffdenoise.model.NoiseSchedule;

/**
 * A reverse-diffusion scheduler for a network that predicts x0: which timesteps to visit from t* down to 0, and the
 * update from one to the next (as in diffusers, swappable without touching the sampling loop).
 */
public interface Scheduler {

    /** The forward noise schedule the steps follow. */
    NoiseSchedule schedule();

    /** The timesteps from {@code tStar} down to 0 in {@code steps} steps or fewer; t* = 0 gives {0}, no step at all. */
    int[] sequence(int tStar, int steps);

    /**
     * One update x_t -> x_{tNext}, written to {@code out} (may alias {@code xt}).
     *
     * @param x0  the network's prediction of the clean image
     * @param eta 0 for deterministic steps
     * @param z   standard normal noise of the same length, or null when no noise is added
     */
    void step(float[] xt, float[] x0, int t, int tNext, double eta, float[] z, float[] out);
}
