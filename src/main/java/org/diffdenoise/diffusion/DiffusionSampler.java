package org.diffdenoise.diffusion;

import org.diffdenoise.model.NoiseSchedule;

import java.util.SplittableRandom;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.DenoisingNetwork;
import org.diffdenoise.model.ModelSignature;
import org.diffdenoise.noise.NoiseModel;

/**
 * The reverse-diffusion loop for a batch of images (tiles): start at x_{t*} = sqrt(abar_{t*}) y, where y is the
 * noisy image (conditioning channel 0), and take the {@link Scheduler}'s steps (DDIM by default) to t = 0, each step
 * evaluating the network through one of the {@link MirroredNetwork} views when the flip self-ensemble is on. Each batch
 * item has its own t* and its own noise stream, seeded per item, so results do not depend on how items are batched.
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

    private final DenoisingNetwork[] mirrors;
    private final Scheduler scheduler;

    /** A DDIM sampler that mirrors the image differently at each step (see the other constructor). */
    public DiffusionSampler(DenoisingNetwork net, NoiseSchedule schedule) {
        this(net, schedule, true);
    }

    /**
     * @param flipPerStep evaluate step i of the reverse diffusion on the image mirrored by flip i mod 4 (none,
     *                    left-right, up-down, both) and mirror the prediction back, so successive steps see the image in
     *                    different orientations (a self-ensemble along the trajectory at no extra cost)
     */
    public DiffusionSampler(DenoisingNetwork net, NoiseSchedule schedule, boolean flipPerStep) {
        this(net, new DdimScheduler(schedule), flipPerStep);
    }

    /** A sampler taking the steps of {@code scheduler}; {@code flipPerStep} as in the other constructor. */
    public DiffusionSampler(DenoisingNetwork net, Scheduler scheduler, boolean flipPerStep) {
        this.scheduler = scheduler;
        this.mirrors = new DenoisingNetwork[flipPerStep ? 4 : 1];
        for (int f = 0; f < mirrors.length; f++) mirrors[f] = MirroredNetwork.of(net, f);
    }

    /** The network evaluations an item starting at {@code tStar} takes with {@code steps} steps. */
    public int evaluations(int tStar, int steps) {
        return scheduler.sequence(tStar, steps).length - 1;
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
        return sample(new SamplingBatch(n, h, w, cond, tStar, steps, eta, noiseSeeds, 0, family, null), cancel, listener);
    }

    /**
     * As {@link #sample(int, int, int, float[], int[], int, double, long[], NoiseFamily, CancelToken, StepListener)},
     * with step i mirrored by flip (i + flipOffset) mod 4.
     */
    public float[] sample(int n, int h, int w, float[] cond, int[] tStar, int steps, double eta, long[] noiseSeeds,
                          int flipOffset, NoiseFamily family, CancelToken cancel, StepListener listener) {
        return sample(new SamplingBatch(n, h, w, cond, tStar, steps, eta, noiseSeeds, flipOffset, family, null), cancel, listener);
    }

    /** Samples x0 for each item of the batch: n*h*w predicted clean values. */
    public float[] sample(SamplingBatch batch, CancelToken cancel, StepListener listener) {
        int n = batch.n(), h = batch.h(), w = batch.w(), steps = batch.steps();
        float[] cond = batch.cond();
        int[] tStar = batch.tStar();
        double eta = batch.eta();
        long[] noiseSeeds = batch.noiseSeeds();
        int c = mirrors[0].conditionChannels();
        int m = h * w;
        if (cond.length != (long) n * m * c) throw new IllegalArgumentException("conditioning has " + cond.length + " values, expected " + (long) n * m * c);
        if (tStar.length != n) throw new IllegalArgumentException("need one t* per batch item");
        int tc = ModelSignature.TEXTURE_CHANNELS;
        if (batch.texture() != null && batch.texture().length != n * tc)
            throw new IllegalArgumentException("texture has " + batch.texture().length + " values, expected " + n * tc);
        if (eta > 0 && noiseSeeds.length != n) throw new IllegalArgumentException("need one noise seed per batch item");
        int T = scheduler.schedule().timesteps();

        int[][] seq = new int[n][];
        int longest = 0;
        float[][] x = new float[n][];
        SplittableRandom[] rng = new SplittableRandom[n];
        for (int j = 0; j < n; j++) {
            seq[j] = scheduler.sequence(tStar[j], steps);
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
            float[] texture = batch.texture(), tex = texture == null || active == n ? texture : new float[active * tc];
            for (int a = 0; a < active; a++) {
                int j = idx[a];
                System.arraycopy(x[j], 0, xt, a * m, m);
                tt[a] = (float) seq[j][i] / T;
                if (cb != cond) System.arraycopy(cond, j * m * c, cb, a * m * c, m * c);
                if (tex != texture) System.arraycopy(texture, j * tc, tex, a * tc, tc);
            }
            DenoisingNetwork net = mirrors[Math.floorMod(i + batch.flipOffset(), mirrors.length)];
            float[] x0 = net.predictX0(active, h, w, xt, cb, tt, batch.family(), tex);
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
