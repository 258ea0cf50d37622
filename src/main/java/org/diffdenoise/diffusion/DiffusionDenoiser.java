package org.diffdenoise.diffusion;

import org.diffdenoise.model.ModelSignature;

import org.diffdenoise.model.NoiseSchedule;

import java.io.IOException;
import java.nio.file.Path;

import org.diffdenoise.model.ModelBundle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessible;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.util.Util;
import net.imglib2.view.Views;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.NothingToDenoiseException;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.model.DenoisingNetwork;
import org.diffdenoise.model.UncertaintyCalibration;
import org.diffdenoise.noise.NoiseEstimate;
import org.diffdenoise.noise.NoiseField;
import org.diffdenoise.noise.NoiseFieldEstimator;
import org.diffdenoise.noise.RobustNormalization;
import org.diffdenoise.noise.SignalDependentSigma;

/**
 * Denoises a stack by conditioned reverse diffusion: one robust normalization for the whole stack, a noise level per
 * slice, 2.5D conditioning (the slice and its neighbours), tiles read through mirrored ImgLib2 views, DDIM sampling
 * from the matched step t*, seam-free blending, and the exact inverse normalization back to modality units.
 * Only one batch of tiles and the blend accumulators of the slices in flight are held besides the output.
 */
public final class DiffusionDenoiser implements Denoiser {

    /** Conditioning channels: noisy slice, previous slice, next slice, noise-level map. */
    public static final int CONDITION_CHANNELS = ModelSignature.CONDITION_CHANNELS;
    /**
     * The diffusion denoiser of a model bundle folder, or of the shipped bundle when {@code bundleDir} is null.
     * Closing it releases the TensorFlow session.
     *
     * @throws IOException when the bundle is missing, corrupt or has the wrong signature; the message says which
     */
    public static DiffusionDenoiser open(Path bundleDir) throws IOException {
        return of(bundleDir == null ? ModelBundle.loadDefault() : ModelBundle.load(bundleDir));
    }

    /** The diffusion denoiser of a loaded bundle (its network, schedule and description). */
    public static DiffusionDenoiser of(ModelBundle b) {
        return new DiffusionDenoiser(b.openNetwork(), b.schedule(), b.descriptor(), b.metadata().uncertainty());
    }

    /** Above this many voxels the normalization is fitted on an evenly strided subsample. */
    static final long NORMALIZATION_SAMPLE = 1L << 24;

    private final DenoisingNetwork net;
    private final NoiseSchedule schedule;
    private final ModelDescriptor descriptor;
    private final TimestepMatcher matcher;
    private final DiffusionSampler sampler;
    private final UncertaintyCalibration calibration;

    /** A denoiser whose uncertainty map (several samples) is the uncalibrated spread of the samples. */
    public DiffusionDenoiser(DenoisingNetwork net, NoiseSchedule schedule, ModelDescriptor descriptor) {
        this(net, schedule, descriptor, null);
    }

    /**
     * @param calibration turns the samples' spread into an estimated SD of the error (and sets their eta); null keeps
     *                    the raw spread, labelled uncalibrated
     */
    public DiffusionDenoiser(DenoisingNetwork net, NoiseSchedule schedule, ModelDescriptor descriptor,
                             UncertaintyCalibration calibration) {
        this.calibration = calibration;
        if (net.conditionChannels() != CONDITION_CHANNELS)
            throw new IllegalArgumentException("the network expects " + net.conditionChannels() + " conditioning channels; this denoiser provides "
                    + CONDITION_CHANNELS + " (slice, previous, next, noise level)");
        this.net = net;
        this.schedule = schedule;
        this.descriptor = descriptor;
        this.matcher = new TimestepMatcher(schedule);
        this.sampler = new DiffusionSampler(net, schedule);
    }

    @Override
    public ModelDescriptor describe() {
        return descriptor;
    }

    @Override
    public void close() {
        net.close();
    }

    /**
     * One slice's noise: as reported (modality units) and as the network sees it (normalized units, and its per-pixel
     * sigma map, w x h, the network's conditioning channel).
     */
    private record SliceNoise(NoiseEstimate modality, NoiseEstimate normalized, int tStar, float[] map) {
    }

    /** A unit of network work: one tile of one slice. */
    private record Item(int slice, TileGrid.Tile tile) {
    }

    @Override
    public DenoiseResult denoise(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings,
                                 ProgressListener progress, CancelToken cancel) {
        if (progress == null) progress = ProgressListener.NONE;
        if (cancel == null) cancel = CancelToken.none();
        int nd = stack.numDimensions();
        if (nd != 2 && nd != 3) throw new IllegalArgumentException("expected a 2D image or a 3D stack (x, y, slice), got " + nd + " dimensions");
        RandomAccessibleInterval<FloatType> src = Views.zeroMin(stack);
        if (nd == 2) src = Views.addDimension(src, 0, 0);
        long wl = src.dimension(0), hl = src.dimension(1);
        if (wl * hl > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("slice too large: " + wl + "x" + hl);
        int w = (int) wl, h = (int) hl, depth = (int) src.dimension(2);

        RobustNormalization norm = fitNormalization(src);
        OutputBounds bounds = OutputBounds.of(src, family);
        SliceNoise[] noise = new SliceNoise[depth];
        double[] sigmaModality = new double[depth];
        for (int z = 0; z < depth; z++) {
            cancel.throwIfCancelled();
            progress.progress("noise level slice " + (z + 1) + "/" + depth, z, depth);
            noise[z] = sliceNoise(copySlice(src, z, w, h), w, h, family, settings.noiseSigma(), norm);
            sigmaModality[z] = noise[z].modality().sigma();
        }
        if (Double.isNaN(settings.noiseSigma()) && java.util.Arrays.stream(noise).allMatch(n -> n.tStar() == 0)) {
            throw new NothingToDenoiseException(String.format(java.util.Locale.ROOT,
                    "no measurable noise in any of its %d slice(s) (slice 1: estimated sigma %.3g, %s), so the result would "
                    + "equal the input", depth, noise[0].modality().sigma(), noise[0].modality().method()));
        }

        long[] dims = nd == 2 ? new long[] {w, h} : new long[] {w, h, depth};
        Img<FloatType> mean = Util.getSuitableImgFactory(Intervals.createMinSize(0, 0, 0, w, h, depth), new FloatType()).create(dims);
        Img<FloatType> m2 = settings.samples() > 1 ? Util.getSuitableImgFactory(Intervals.createMinSize(0, 0, 0, w, h, depth), new FloatType()).create(dims) : null;
        RandomAccessibleInterval<FloatType> mean3 = nd == 2 ? Views.addDimension(mean, 0, 0) : mean;
        RandomAccessibleInterval<FloatType> m23 = m2 == null ? null : nd == 2 ? Views.addDimension(m2, 0, 0) : m2;

        // normalized, NaN-free view of the stack: the network never sees non-finite values
        RandomAccessibleInterval<FloatType> normalized = Converters.convert(src, (a, b) -> {
            float v = a.get();
            b.set(Float.isFinite(v) ? norm.apply(v) : 0f);
        }, new FloatType());

        TileGrid grid = TileGrid.of(w, h, settings.tileSize(), settings.tileOverlap(), net.sizeMultiple());
        List<Item> items = new ArrayList<>();
        for (int z = 0; z < depth; z++) {
            if (noise[z].tStar() == 0) continue;
            for (TileGrid.Tile t : grid.tiles()) items.add(new Item(z, t));
        }
        int samples = settings.samples();
        double eta = samples > 1 ? (calibration != null ? calibration.eta() : DiffusionSampler.STOCHASTIC_ETA) : 0;
        int batch = settings.batchSize();
        long total = 0;
        for (int from = 0; from < items.size(); from += batch) {
            int longest = 0;
            for (int i = from; i < Math.min(items.size(), from + batch); i++)
                longest = Math.max(longest, DdimScheduler.timesteps(noise[items.get(i).slice()].tStar(), settings.steps()).length - 1);
            total += longest;
        }
        total *= samples;

        long[] done = {0};
        for (int s = 0; s < samples; s++) {
            // slices with nothing to do keep their input values
            for (int z = 0; z < depth; z++) {
                if (noise[z].tStar() != 0) continue;
                accumulate(copySlice(src, z, w, h), src, z, s, mean3, m23, w, h, bounds);
            }
            Map<Integer, TileBlender> blenders = new HashMap<>();
            for (int from = 0; from < items.size(); from += batch) {
                cancel.throwIfCancelled();
                List<Item> chunk = items.subList(from, Math.min(items.size(), from + batch));
                float[] x0 = runBatch(chunk, normalized, noise, grid, depth, settings, s, eta, family, cancel, progress, done, total, samples);
                int m = grid.x().span() * grid.y().span();
                for (int j = 0; j < chunk.size(); j++) {
                    Item it = chunk.get(j);
                    TileBlender b = blenders.computeIfAbsent(it.slice(), z -> new TileBlender(grid));
                    b.add(it.tile(), x0, j * m);
                    if (b.complete()) {
                        float[] out = b.result();
                        norm.invertInPlace(out);
                        accumulate(out, src, it.slice(), s, mean3, m23, w, h, bounds);
                        blenders.remove(it.slice());
                    }
                }
            }
        }
        progress.progress("done", total, total);

        Img<FloatType> uncertainty = null;
        String meaning = null;
        if (m2 != null) {
            for (FloatType v : m2) v.set((float) Math.sqrt(Math.max(v.get(), 0) / (samples - 1)));
            uncertainty = m2;
            UncertaintyCalibration.FamilyFit fit = calibration == null ? null : calibration.forFamily(family);
            if (fit == null) {
                meaning = DenoiseResult.SAMPLE_SD;
            } else {
                for (int z = 0; z < depth; z++) calibrate(m23, mean3, src, z, w, h, noise[z].modality(), norm.scale(), fit);
                meaning = UncertaintyCalibration.QUANTITY + "; " + calibration.describe(family);
            }
        }
        return new DenoiseResult(restoreMin(mean, stack), uncertainty == null ? null : restoreMin(uncertainty, stack), sigmaModality,
                net.device(), meaning);
    }

    /** Replaces slice z's sample spread by the calibrated error SD, using the slice's noise sigma (map) in modality units. */
    private static void calibrate(RandomAccessibleInterval<FloatType> sd, RandomAccessibleInterval<FloatType> mean,
                                  RandomAccessibleInterval<FloatType> src, int z, int w, int h, NoiseEstimate noise,
                                  double scale, UncertaintyCalibration.FamilyFit fit) {
        float[] value = copySlice(mean, z, w, h);
        float[] input = copySlice(src, z, w, h);
        for (int i = 0; i < input.length; i++) if (!Float.isFinite(input[i])) input[i] = 0f;
        float[] sigma = noise.sigmaMap(input, w, h);
        double level = UncertaintyCalibration.noiseLevel(sigma, scale);
        Cursor<FloatType> c = Views.flatIterable(Views.hyperSlice(sd, 2, z)).cursor();
        for (int i = 0; i < input.length; i++) {
            FloatType v = c.next();
            v.set(UncertaintyCalibration.sd(fit, v.get(), sigma[i], value[i], level));
        }
    }

    private static RandomAccessibleInterval<FloatType> restoreMin(Img<FloatType> img, RandomAccessibleInterval<FloatType> like) {
        long[] min = like.minAsLongArray();
        for (long v : min) if (v != 0) return Views.translate(img, min);
        return img;
    }

    /** Fits the normalization on every voxel, or on an evenly strided subsample of very large stacks. */
    static RobustNormalization fitNormalization(RandomAccessibleInterval<FloatType> src) {
        long n = Intervals.numElements(src);
        long stride = Math.max(1, (n + NORMALIZATION_SAMPLE - 1) / NORMALIZATION_SAMPLE);
        float[] v = new float[(int) ((n + stride - 1) / stride)];
        int k = 0;
        long i = 0;
        for (FloatType t : Views.flatIterable(src)) {
            if (i++ % stride == 0 && k < v.length) v[k++] = t.get();
        }
        return RobustNormalization.fit(k == v.length ? v : java.util.Arrays.copyOf(v, k));
    }

    private SliceNoise sliceNoise(float[] slice, int w, int h, NoiseFamily family, double fixedSigma, RobustNormalization norm) {
        // the noise field: a per-pixel level that holds for correlated and spatially varying noise (issue 14)
        NoiseField field = Double.isNaN(fixedSigma) ? NoiseFieldEstimator.estimate(slice, w, h, family) : null;
        NoiseEstimate est = field != null ? field.summary() : new NoiseEstimate(fixedSigma, 0, fixedSigma, "given by the user");
        NoiseEstimate n = est.normalized(norm);
        float[] map;
        if (n.signalDependent()) {
            for (int i = 0; i < slice.length; i++) slice[i] = Float.isFinite(slice[i]) ? norm.apply(slice[i]) : 0f;
            map = SignalDependentSigma.map(slice, w, h, n.gain(), n.readSigma());
        } else if (field != null) {
            map = field.sigmaMap().clone();
            for (int i = 0; i < map.length; i++) map[i] /= (float) norm.scale();
        } else {
            map = null; // constant n.sigma()
        }
        double rep = map == null ? n.sigma() : TimestepMatcher.representativeSigma(map);
        return new SliceNoise(est, n, matcher.timestepFor(rep), map);
    }

    private float[] runBatch(List<Item> chunk, RandomAccessibleInterval<FloatType> normalized, SliceNoise[] noise, TileGrid grid,
                             int depth, DenoiseSettings settings, int sample, double eta, NoiseFamily family, CancelToken cancel,
                             ProgressListener progress, long[] done, long total, int samples) {
        int sw = grid.x().span(), sh = grid.y().span(), m = sw * sh, c = CONDITION_CHANNELS;
        int n = chunk.size();
        float[] cond = new float[n * m * c];
        int[] tStar = new int[n];
        long[] seeds = new long[n];
        float[] buf = new float[m];
        for (int j = 0; j < n; j++) {
            Item it = chunk.get(j);
            int z = it.slice();
            // 2.5D context: the neighbouring slices, or the slice itself when context is off (repeated positions)
            int[] zs = settings.sliceContext() ? new int[] {z, Math.max(0, z - 1), Math.min(depth - 1, z + 1)} : new int[] {z, z, z};
            for (int ch = 0; ch < 3; ch++) {
                readTile(mirrored(Views.hyperSlice(normalized, 2, zs[ch])), it.tile().x(), it.tile().y(), sw, sh, buf);
                for (int p = 0; p < m; p++) cond[(j * m + p) * c + ch] = buf[p];
            }
            NoiseEstimate ne = noise[z].normalized();
            if (noise[z].map() != null) {
                readTile(mirrored(ArrayImgs.floats(noise[z].map(), grid.width(), grid.height())), it.tile().x(), it.tile().y(), sw, sh, buf);
                for (int p = 0; p < m; p++) cond[(j * m + p) * c + 3] = buf[p];
            } else {
                float sigma = (float) ne.sigma();
                for (int p = 0; p < m; p++) cond[(j * m + p) * c + 3] = sigma;
            }
            tStar[j] = noise[z].tStar();
            seeds[j] = itemSeed(settings.seed(), sample, z, it.tile().index());
        }
        String where = describeChunk(chunk, grid, depth, sample, samples);
        return sampler.sample(n, sh, sw, cond, tStar, settings.steps(), eta, seeds, sample, family, cancel, (step, steps) -> {
            done[0]++;
            progress.progress(where + " step " + step + "/" + steps, done[0], total);
        });
    }

    private static String describeChunk(List<Item> chunk, TileGrid grid, int depth, int sample, int samples) {
        int z0 = chunk.get(0).slice() + 1, z1 = chunk.get(chunk.size() - 1).slice() + 1;
        StringBuilder sb = new StringBuilder();
        if (samples > 1) sb.append("sample ").append(sample + 1).append('/').append(samples).append(' ');
        sb.append("slice ").append(z0 == z1 ? String.valueOf(z0) : z0 + "-" + z1).append('/').append(depth);
        if (grid.size() > 1 && z0 == z1) {
            int t0 = chunk.get(0).tile().index() + 1, t1 = chunk.get(chunk.size() - 1).tile().index() + 1;
            sb.append(" tile ").append(t0 == t1 ? String.valueOf(t0) : t0 + "-" + t1).append('/').append(grid.size());
        }
        return sb.toString();
    }

    /** A seed per (seed, sample, slice, tile), so the noise a tile gets does not depend on batching. */
    static long itemSeed(long seed, int sample, int slice, int tile) {
        long h = seed;
        h = h * 0x9E3779B97F4A7C15L + sample;
        h = h * 0x9E3779B97F4A7C15L + slice;
        h = h * 0x9E3779B97F4A7C15L + tile;
        return new SplittableRandom(h).nextLong();
    }

    /**
     * The slice extended by mirroring without repeating the edge pixel; an axis of length 1 (where that mirror is
     * undefined in ImgLib2) repeats its only pixel, which is the same thing.
     */
    static RandomAccessible<FloatType> mirrored(RandomAccessibleInterval<FloatType> slice) {
        for (int d = 0; d < slice.numDimensions(); d++) if (slice.dimension(d) == 1) return Views.extendBorder(slice);
        return Views.extendMirrorSingle(slice);
    }

    /** Copies a sw x sh window starting at (x, y) of an (extended) view into {@code dst}, row-major. */
    static void readTile(RandomAccessible<FloatType> view, int x, int y, int sw, int sh, float[] dst) {
        RandomAccessibleInterval<FloatType> tile = Views.interval(view, new long[] {x, y}, new long[] {x + sw - 1L, y + sh - 1L});
        Cursor<FloatType> cur = Views.flatIterable(tile).cursor();
        int i = 0;
        while (cur.hasNext()) dst[i++] = cur.next().get();
    }

    static float[] copySlice(RandomAccessibleInterval<FloatType> src, int z, int w, int h) {
        float[] out = new float[w * h];
        Cursor<FloatType> cur = Views.flatIterable(Views.hyperSlice(src, 2, z)).cursor();
        int i = 0;
        while (cur.hasNext()) out[i++] = cur.next().get();
        return out;
    }

    /**
     * What the output may hold: values between the input's finite minimum and maximum (for MR magnitude images the
     * lower bound is 0 when the input has no negative values: a magnitude is never negative, and a noisy input's
     * minimum lies above the true background), and pixels of a flat region at the input minimum (a scanner's mask,
     * CT padding, a shutter: exactly equal to the minimum with all their neighbours) unchanged. Rician or Gaussian
     * noise never leaves such exact plateaus, so denoising a noisy background is unaffected; without this rule a
     * masked MR background (exact zeros, which the Rician model cannot produce) came out below zero.
     */
    record OutputBounds(float min, float max, float inputMin) {
        static OutputBounds of(RandomAccessibleInterval<FloatType> src, NoiseFamily family) {
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (FloatType t : Views.flatIterable(src)) {
                float v = t.get();
                if (!Float.isFinite(v)) continue;
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
            if (lo > hi) return new OutputBounds(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN);
            float min = family == NoiseFamily.RICIAN_MR ? Math.min(0f, lo) : lo;
            return new OutputBounds(min, hi, lo);
        }

        float clamp(float v) {
            return v < min ? min : v > max ? max : v;
        }

        /** True where the slice and its 8 neighbours (those inside the slice) equal the input minimum exactly. */
        boolean[] plateau(float[] slice, int w, int h) {
            boolean[] out = new boolean[slice.length];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean flat = true;
                    for (int dy = -1; dy <= 1 && flat; dy++) {
                        int yy = y + dy;
                        if (yy < 0 || yy >= h) continue;
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = x + dx;
                            if (xx < 0 || xx >= w) continue;
                            if (slice[yy * w + xx] != inputMin) {
                                flat = false;
                                break;
                            }
                        }
                    }
                    out[y * w + x] = flat;
                }
            }
            return out;
        }
    }

    /**
     * Adds one sample of slice z (modality units) to the running mean and sum of squared deviations (Welford).
     * Pixels that were not finite in the input keep their input value, as do plateaus at the input minimum; the
     * others are clamped to the bounds (see {@link OutputBounds}).
     */
    private static void accumulate(float[] sampleValues, RandomAccessibleInterval<FloatType> src, int z, int sample,
                                   RandomAccessibleInterval<FloatType> mean, RandomAccessibleInterval<FloatType> m2, int w, int h,
                                   OutputBounds bounds) {
        float[] input = copySlice(src, z, w, h);
        boolean[] keep = bounds.plateau(input, w, h);
        Cursor<FloatType> mc = Views.flatIterable(Views.hyperSlice(mean, 2, z)).cursor();
        Cursor<FloatType> sc = m2 == null ? null : Views.flatIterable(Views.hyperSlice(m2, 2, z)).cursor();
        int k = sample + 1;
        for (int i = 0; i < w * h; i++) {
            float orig = input[i];
            FloatType mv = mc.next();
            FloatType sv = sc == null ? null : sc.next();
            float x = !Float.isFinite(orig) || keep[i] ? orig : bounds.clamp(sampleValues[i]);
            if (k == 1) {
                mv.set(x);
                if (sv != null) sv.set(0);
                continue;
            }
            double delta = x - mv.get();
            double nm = mv.get() + delta / k;
            mv.set((float) nm);
            if (sv != null) sv.set((float) (sv.get() + delta * (x - nm)));
        }
    }
}
