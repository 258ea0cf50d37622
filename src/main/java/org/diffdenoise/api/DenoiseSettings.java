package org.diffdenoise.api;

/**
 * What the user asked for: sampling steps, number of stochastic samples, seed, an optional fixed noise level,
 * and tiling.
 *
 * @param steps        DDIM steps from t* to 0 (1..50)
 * @param samples      number of samples; more than one gives a mean and an uncertainty map (1..32; needs steps >= 2)
 * @param seed         random seed; the same seed and input give the same output
 * @param noiseSigma   noise standard deviation in modality units, or NaN to estimate it per slice
 * @param tileSize     tile edge in pixels for large images (64..2048)
 * @param tileOverlap  overlap between tiles in pixels (0..tileSize/2)
 * @param batchSize    tiles or slices per network evaluation (1..64)
 * @param sliceContext whether the neighbouring slices are given to the network as context
 * @param adapt        whether the conditioning is adapted to each series by a self-supervised loss first ({@code --adapt})
 * @param keepCoilFloor whether multi-coil MR keeps its background noise floor ({@code --keep-coil-floor}); by default
 *                     the floor read from the air is removed before denoising (docs/diffusion.md, "Multi-coil MR")
 * @param strength     factor on the noise level the denoiser works at, estimated or given ({@code --strength}; 1: the
 *                     level itself): below 1 keeps more fine detail and more noise, above 1 smooths more
 */
public record DenoiseSettings(int steps, int samples, long seed, double noiseSigma, int tileSize, int tileOverlap,
                              int batchSize, boolean sliceContext, boolean adapt, boolean keepCoilFloor, double strength) {

    public static final int DEFAULT_STEPS = 2;
    public static final int DEFAULT_SAMPLES = 1;
    public static final long DEFAULT_SEED = 42L;
    public static final int DEFAULT_TILE = 512;
    public static final int DEFAULT_OVERLAP = 32;
    public static final int DEFAULT_BATCH = 4;
    /** The default strength: the model is conditioned on the noise level itself. */
    public static final double DEFAULT_STRENGTH = 1;
    /** Smallest and largest strength accepted (a quarter to four times the noise level). */
    public static final double MIN_STRENGTH = 0.25, MAX_STRENGTH = 4;

    /** Settings with the neighbouring slices as context (the default; see {@link #withSliceContext}). */
    public DenoiseSettings(int steps, int samples, long seed, double noiseSigma, int tileSize, int tileOverlap, int batchSize) {
        this(steps, samples, seed, noiseSigma, tileSize, tileOverlap, batchSize, true);
    }

    /** Settings without per-series adaptation (the default; see {@link #withAdapt}). */
    public DenoiseSettings(int steps, int samples, long seed, double noiseSigma, int tileSize, int tileOverlap, int batchSize,
                           boolean sliceContext) {
        this(steps, samples, seed, noiseSigma, tileSize, tileOverlap, batchSize, sliceContext, false, false, DEFAULT_STRENGTH);
    }

    public DenoiseSettings {
        if (steps < 1 || steps > 50) throw new IllegalArgumentException("steps must be between 1 and 50, got " + steps);
        if (samples < 1 || samples > 32) throw new IllegalArgumentException("samples must be between 1 and 32, got " + samples);
        if (samples > 1 && steps < 2)
            throw new IllegalArgumentException("several samples need at least 2 steps: with 1 step the reverse diffusion is "
                    + "deterministic and every sample would be the same (got steps=" + steps + ", samples=" + samples + ")");
        if (!Double.isNaN(noiseSigma) && !(noiseSigma >= 0 && Double.isFinite(noiseSigma)))
            throw new IllegalArgumentException("noise level must be a non-negative number (or empty to estimate), got " + noiseSigma);
        if (tileSize < 64 || tileSize > 2048) throw new IllegalArgumentException("tile size must be between 64 and 2048, got " + tileSize);
        if (tileOverlap < 0 || tileOverlap > tileSize / 2)
            throw new IllegalArgumentException("tile overlap must be between 0 and tile size / 2 (" + tileSize / 2 + "), got " + tileOverlap);
        if (batchSize < 1 || batchSize > 64) throw new IllegalArgumentException("batch size must be between 1 and 64, got " + batchSize);
        if (!(strength >= MIN_STRENGTH && strength <= MAX_STRENGTH))
            throw new IllegalArgumentException("strength must be between " + MIN_STRENGTH + " and " + MAX_STRENGTH + " (1: the noise level itself), got " + strength);
        // the error calibration was fitted on outputs at the noise level itself; at another level it would not hold
        if (samples > 1 && strength != DEFAULT_STRENGTH)
            throw new IllegalArgumentException("an uncertainty map (samples > 1) is calibrated for strength 1 only; got strength " + strength
                    + " with " + samples + " samples");
    }

    /** The defaults chosen from the benchmark (docs/benchmarks.md). */
    public static DenoiseSettings defaults() {
        return new DenoiseSettings(DEFAULT_STEPS, DEFAULT_SAMPLES, DEFAULT_SEED, Double.NaN, DEFAULT_TILE, DEFAULT_OVERLAP, DEFAULT_BATCH);
    }

    public DenoiseSettings withSteps(int s) {
        return new DenoiseSettings(s, samples, seed, noiseSigma, tileSize, tileOverlap, batchSize, sliceContext, adapt, keepCoilFloor, strength);
    }

    public DenoiseSettings withSamples(int n) {
        return new DenoiseSettings(steps, n, seed, noiseSigma, tileSize, tileOverlap, batchSize, sliceContext, adapt, keepCoilFloor, strength);
    }

    public DenoiseSettings withSeed(long s) {
        return new DenoiseSettings(steps, samples, s, noiseSigma, tileSize, tileOverlap, batchSize, sliceContext, adapt, keepCoilFloor, strength);
    }

    public DenoiseSettings withNoiseSigma(double sigma) {
        return new DenoiseSettings(steps, samples, seed, sigma, tileSize, tileOverlap, batchSize, sliceContext, adapt, keepCoilFloor, strength);
    }

    public DenoiseSettings withTiling(int size, int overlap) {
        return new DenoiseSettings(steps, samples, seed, noiseSigma, size, overlap, batchSize, sliceContext, adapt, keepCoilFloor, strength);
    }

    /**
     * With {@code false} every slice is denoised on its own: its neighbours are not given to the network as context.
     * For series whose neighbouring slices are not spatial neighbours of one contrast (several echoes or phases at the
     * same position), where such context costs 1-2 dB (docs/diffusion.md).
     */
    public DenoiseSettings withSliceContext(boolean context) {
        return new DenoiseSettings(steps, samples, seed, noiseSigma, tileSize, tileOverlap, batchSize, context, adapt, keepCoilFloor, strength);
    }

    /**
     * With {@code true} the denoiser first adapts its conditioning to the series by a self-supervised (blind-spot)
     * loss measured on the series itself, for noise the model was not trained on (docs/diffusion.md, "--adapt").
     */
    public DenoiseSettings withAdapt(boolean a) {
        return new DenoiseSettings(steps, samples, seed, noiseSigma, tileSize, tileOverlap, batchSize, sliceContext, a, keepCoilFloor, strength);
    }

    /**
     * With {@code true} multi-coil MR is denoised with its background noise floor left in, for a reader who wants the
     * raw background; by default the floor read from the air is removed first (docs/diffusion.md, "Multi-coil MR").
     * Series that do not read as multi-coil are denoised the same either way.
     */
    public DenoiseSettings withKeepCoilFloor(boolean keep) {
        return new DenoiseSettings(steps, samples, seed, noiseSigma, tileSize, tileOverlap, batchSize, sliceContext, adapt, keep, strength);
    }

    /**
     * With a factor on the noise level the denoiser works at (estimated per slice, or given): below 1 the output keeps
     * more fine detail and more noise, above 1 it is smoother ({@code --strength}; docs/diffusion.md, "Strength").
     */
    public DenoiseSettings withStrength(double factor) {
        return new DenoiseSettings(steps, samples, seed, noiseSigma, tileSize, tileOverlap, batchSize, sliceContext, adapt, keepCoilFloor, factor);
    }
}
