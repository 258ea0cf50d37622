package org.diffdenoise.diffusion;

import org.diffdenoise.model.NoiseSchedule;

import java.util.Arrays;

/**
 * The DDIM reverse process (Song et al. 2021) for a model that predicts x0: the timestep sequence from t* to 0
 * and one update x_t -> x_{t_next}. Pure arithmetic, no network.
 */
public final class DdimScheduler implements Scheduler {

    private final NoiseSchedule schedule;

    public DdimScheduler(NoiseSchedule schedule) {
        this.schedule = schedule;
    }

    @Override
    public NoiseSchedule schedule() {
        return schedule;
    }

    @Override
    public int[] sequence(int tStar, int steps) {
        return timesteps(tStar, steps);
    }

    /**
     * The timesteps t_i = round(t* (k - i) / k), i = 0..k, without repeats, from t* down to 0. When t* < k there
     * are fewer (at most t*) steps; t* = 0 gives {0}, meaning no step at all.
     */
    public static int[] timesteps(int tStar, int k) {
        if (tStar < 0) throw new IllegalArgumentException("t* must be >= 0: " + tStar);
        if (k < 1) throw new IllegalArgumentException("number of steps must be >= 1: " + k);
        int[] out = new int[k + 1];
        int n = 0;
        for (int i = 0; i <= k; i++) {
            int t = (int) Math.round((double) tStar * (k - i) / k);
            if (n == 0 || out[n - 1] != t) out[n++] = t;
        }
        return Arrays.copyOf(out, n);
    }

    /** The standard deviation of the fresh noise added in a step: eta * sqrt((1-ab_next)/(1-ab_t)) * sqrt(1-ab_t/ab_next). */
    public double sigmaEta(int t, int tNext, double eta) {
        if (tNext == 0 || eta == 0) return 0;
        double ab = schedule.alphaBar(t), abNext = schedule.alphaBar(tNext);
        double v = (1 - abNext) / (1 - ab) * (1 - ab / abNext);
        return eta * Math.sqrt(Math.max(v, 0));
    }

    /**
     * One DDIM step, written to {@code out} (may alias {@code xt}). At t_next = 0 the result is x0.
     *
     * @param xt    state at t, length m
     * @param x0    the network's prediction of the clean image, length m
     * @param t     current step (> tNext)
     * @param tNext next step (>= 0)
     * @param eta   0 for the deterministic DDIM, 1 for DDPM-like stochasticity
     * @param z     standard normal noise of length m, or null when eta = 0
     */
    @Override
    public void step(float[] xt, float[] x0, int t, int tNext, double eta, float[] z, float[] out) {
        if (!(tNext < t)) throw new IllegalArgumentException("t_next must be < t: " + tNext + " >= " + t);
        int m = xt.length;
        if (tNext == 0) {
            System.arraycopy(x0, 0, out, 0, m);
            return;
        }
        double ab = schedule.alphaBar(t), abNext = schedule.alphaBar(tNext);
        double sEta = sigmaEta(t, tNext, eta);
        if (sEta > 0 && (z == null || z.length < m)) throw new IllegalArgumentException("noise draw needed for eta > 0");
        double sqAb = Math.sqrt(ab), invSq1mAb = 1 / Math.sqrt(1 - ab);
        double sqAbNext = Math.sqrt(abNext);
        double dirCoef = Math.sqrt(Math.max(1 - abNext - sEta * sEta, 0));
        for (int i = 0; i < m; i++) {
            double eps = (xt[i] - sqAb * x0[i]) * invSq1mAb;
            double v = sqAbNext * x0[i] + dirCoef * eps;
            if (sEta > 0) v += sEta * z[i];
            out[i] = (float) v;
        }
    }
}
