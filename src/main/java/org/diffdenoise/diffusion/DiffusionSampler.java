package org.diffdenoise.diffusion;

import org.diffdenoise.model.NoiseSchedule;

import java.util.SplittableRandom;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.DenoisingNetwork;
import org.diffdenoise.noise.NoiseModel;

/**
 * The reverse-diffusion loop for a batch of images (tiles): start at x_{t*} = sqrt(abar_{t*}) y, where y is the
 * noisy image (conditioning channel 0), and take DDIM steps to t = 0. Each batch item has its own t* and its own
 * noise stream, seeded per item, so results do not depend on how items are batched.
 */
public final class DiffusionSampler {

    /** The eta used for stochastic (multi-sample) runs: 1 gives DDPM-like posterior samples. */
    public static final double STOCHASTIC_ETA = 1.0;

    /** Told after each network evaluation. */
    @FunctionalInterface
    public interface StepListener {
        /** @param step steps done (1-based), of {@code steps} for the longest item in the batch */
        void stepDone(int step, int steps);
    }

    private final DenoisingNetwork net;
    private final DdimScheduler scheduler;
    private final boolean flipPerStep;

    /** A sampler that mirrors the image differently at each step (see the other constructor). */
    public DiffusionSampler(DenoisingNetwork net, NoiseSchedule schedule) {
        this(net, schedule, true);
    }

    /**
     * @param flipPerStep evaluate step i of the reverse diffusion on the image mirrored by flip i mod 4 (none,
     *                    left-right, up-down, both) and mirror the prediction back, so successive steps see the image in
     *                    different orientations (a self-ensemble along the trajectory at no extra cost)
     */
    public DiffusionSampler(DenoisingNetwork net, NoiseSchedule schedule, boolean flipPerStep) {
        this.net = net;
        this.scheduler = new DdimScheduler(schedule);
        this.flipPerStep = flipPerStep;
    }

    /**
     * Each of n images of h x w x c values (channels last) mirrored: flip 1 left-right, 2 up-down, 3 both; flip 0
     * returns {@code a} itself, any other a new array. Every flip is its own inverse.
     */
    static float[] flip(float[] a, int n, int h, int w, int c, int flip) {
        if (flip == 0) return a;
        boolean lr = (flip & 1) != 0, ud = (flip & 2) != 0;
        int m = h * w;
        float[] out = new float[a.length];
        for (int j = 0; j < n; j++) {
            int base = j * m * c;
            for (int y = 0; y < h; y++) {
                int sy = ud ? h - 1 - y : y;
                for (int x = 0; x < w; x++) {
                    int sx = lr ? w - 1 - x : x;
                    System.arraycopy(a, base + (sy * w + sx) * c, out, base + (y * w + x) * c, c);
                }
            }
        }
        return out;
    }

    public DdimScheduler scheduler() {
        return scheduler;
    }

    /**
     * Samples x0 for each batch item.
     *
     * @param n          batch size
     * @param h          height (multiple of the network's size multiple)
     * @param w          width
     * @param cond       n*h*w*C conditioning values, channels last; channel 0 is the noisy image y
     * @param tStar      starting step per item; 0 returns y unchanged
     * @param steps      DDIM steps k
     * @param eta        0 for deterministic sampling
     * @param noiseSeeds one seed per item for the step noise (unused when eta = 0)
     * @return n*h*w predicted clean values
     */
    public float[] sample(int n, int h, int w, float[] cond, int[] tStar, int steps, double eta, long[] noiseSeeds,
                          NoiseFamily family, CancelToken cancel, StepListener listener) {
        return sample(n, h, w, cond, tStar, steps, eta, noiseSeeds, 0, family, cancel, listener);
    }

    /**
     * As {@link #sample(int, int, int, float[], int[], int, double, long[], NoiseFamily, CancelToken, StepListener)},
     * with step i mirrored by flip (i + flipOffset) mod 4: sample s of several uses offset s, so the samples whose
     * mean is the result also differ in the orientations their steps see.
     */
    public float[] sample(int n, int h, int w, float[] cond, int[] tStar, int steps, double eta, long[] noiseSeeds,
                          int flipOffset, NoiseFamily family, CancelToken cancel, StepListener listener) {
        int c = net.conditionChannels();
        int m = h * w;
        if (cond.length != (long) n * m * c) throw new IllegalArgumentException("conditioning has " + cond.length + " values, expected " + (long) n * m * c);
        if (tStar.length != n) throw new IllegalArgumentException("need one t* per batch item");
        if (eta > 0 && noiseSeeds.length != n) throw new IllegalArgumentException("need one noise seed per batch item");
        int T = scheduler.schedule().timesteps();

        int[][] seq = new int[n][];
        int longest = 0;
        float[][] x = new float[n][];
        SplittableRandom[] rng = new SplittableRandom[n];
        for (int j = 0; j < n; j++) {
            seq[j] = DdimScheduler.timesteps(tStar[j], steps);
            longest = Math.max(longest, seq[j].length - 1);
            float[] y = new float[m];
            for (int p = 0; p < m; p++) y[p] = cond[(j * m + p) * c];
            float s = (float) Math.sqrt(scheduler.schedule().alphaBar(tStar[j]));
            if (tStar[j] > 0) for (int p = 0; p < m; p++) y[p] *= s;
            x[j] = y;
            if (eta > 0) rng[j] = new SplittableRandom(noiseSeeds[j]);
        }

        float[] z = eta > 0 ? new float[m] : null;
        for (int i = 0; i < longest; i++) {
            cancel.throwIfCancelled();
            // items still running at this step; finished items (short sequences) sit out
            int active = 0;
            for (int j = 0; j < n; j++) if (i < seq[j].length - 1) active++;
            int[] idx = new int[active];
            for (int j = 0, a = 0; j < n; j++) if (i < seq[j].length - 1) idx[a++] = j;
            float[] xt = new float[active * m];
            float[] tt = new float[active];
            float[] cb = active == n ? cond : new float[active * m * c];
            for (int a = 0; a < active; a++) {
                int j = idx[a];
                System.arraycopy(x[j], 0, xt, a * m, m);
                tt[a] = (float) seq[j][i] / T;
                if (cb != cond) System.arraycopy(cond, j * m * c, cb, a * m * c, m * c);
            }
            int f = flipPerStep ? Math.floorMod(i + flipOffset, 4) : 0;
            float[] x0 = flip(net.predictX0(active, h, w, flip(xt, active, h, w, 1, f), flip(cb, active, h, w, c, f), tt, family),
                    active, h, w, 1, f);
            if (x0.length != active * m) throw new IllegalStateException("network returned " + x0.length + " values, expected " + active * m);
            float[] pred = new float[m];
            for (int a = 0; a < active; a++) {
                int j = idx[a];
                System.arraycopy(x0, a * m, pred, 0, m);
                int t = seq[j][i], tNext = seq[j][i + 1];
                boolean noisy = eta > 0 && tNext > 0;
                if (noisy) for (int p = 0; p < m; p++) z[p] = (float) NoiseModel.gaussian(rng[j]);
                scheduler.step(x[j], pred, t, tNext, eta, noisy ? z : null, x[j]);
            }
            if (listener != null) listener.stepDone(i + 1, longest);
        }
        float[] out = new float[n * m];
        for (int j = 0; j < n; j++) System.arraycopy(x[j], 0, out, j * m, m);
        return out;
    }
}
