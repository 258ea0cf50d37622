package org.diffdenoise.diffusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.noise.NoiseEstimate;

/**
 * Per-series self-supervised adaptation of the conditioning ({@code denoise --adapt}): the network was trained on white
 * noise, and on correlated noise it needs a different noise-level channel than the true level. This picks a factor on
 * every slice's sigma map (which moves t* with it) from a few candidates by a blind-spot (Noise2Self) loss measured on
 * the series itself: on central crops of a few slices, blocks around a sparse grid of pixels are replaced by the block
 * beside them, so neither the masked pixel nor its spatially correlated neighbours reach the network; the loss is the
 * mean squared difference between the output and the noisy input at the block centres, which for noise independent of
 * what the network saw is the error against the clean image plus a constant. Every candidate sees the same masks; a
 * factor other than 1 is taken only when its paired loss difference to 1 is both relatively and statistically clear.
 */
final class ConditioningAdaptation {

    /** The candidate factors on the sigma map. */
    static final double[] SCALES = {0.5, 0.59, 0.71, 0.84, 1, 1.19, 1.41, 1.68, 2, 2.38, 2.83, 3.36, 4};
    /** Edge of a masked block (odd): the correlated neighbours of its centre go with it. */
    static final int BLOCK = 5;
    /** Grid stride of the block centres, at least two blocks, so the block copied in is never masked itself. */
    static final int STRIDE = 2 * BLOCK;
    /** Edge of the central crop taken from each sampled slice. */
    static final int CROP = 128;
    /** Slices sampled from the series. */
    static final int SLICES = 3;
    /** Relative loss decrease a factor other than 1 needs to be taken. */
    static final double RELATIVE_MARGIN = 0.01;
    /** Standard errors of the paired loss difference a factor other than 1 needs to be taken. */
    static final double Z_MARGIN = 2;

    /**
     * What the adaptation chose and why.
     *
     * @param scale   the factor on the sigma maps (1: unchanged)
     * @param scales  the candidates
     * @param losses  each candidate's blind-spot loss (normalized units squared); empty when it could not run
     * @param seconds time taken
     * @param note    why nothing was measured, or null
     */
    record Choice(double scale, double[] scales, double[] losses, double seconds, String note) {

        /** "sigma map x 1.41, picked from {0.5, ..., 2.83} by a blind-spot loss in 3.2 s". */
        String describe() {
            if (note != null) return "adaptation: sigma map x 1 (" + note + ")";
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < scales.length; i++) sb.append(i == 0 ? "" : ", ").append(format(scales[i]));
            return String.format(Locale.ROOT, "adaptation: sigma map x %s, picked from {%s} by a blind-spot loss in %.1f s",
                    format(scale), sb, seconds);
        }

        private static String format(double v) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
    }

    private final DiffusionSampler sampler;
    private final TimestepMatcher matcher;
    private final int sizeMultiple;

    ConditioningAdaptation(DiffusionSampler sampler, TimestepMatcher matcher, int sizeMultiple) {
        this.sampler = sampler;
        this.matcher = matcher;
        this.sizeMultiple = sizeMultiple;
    }

    /** The slices' noise with every sigma map (or constant sigma) times {@code scale}, t* matched anew. */
    SliceNoise[] scaled(SliceNoise[] noise, double scale) {
        if (scale == 1) return noise;
        SliceNoise[] out = new SliceNoise[noise.length];
        for (int z = 0; z < noise.length; z++) out[z] = scaled(noise[z], scale);
        return out;
    }

    private SliceNoise scaled(SliceNoise n, double scale) {
        if (n.tStar() == 0) return n; // nothing to denoise stays so
        NoiseEstimate e = n.normalized();
        NoiseEstimate s = new NoiseEstimate(e.sigma() * scale, e.gain() * scale * scale, e.readSigma() * scale, e.method());
        float[] map = null;
        if (n.map() != null) {
            map = n.map().clone();
            for (int i = 0; i < map.length; i++) map[i] *= (float) scale;
        }
        double rep = map == null ? s.sigma() : TimestepMatcher.representativeSigma(map);
        return new SliceNoise(n.modality(), s, Math.max(1, matcher.timestepFor(rep)), map);
    }

    /**
     * Picks the factor for a series.
     *
     * @param normalized the normalized, NaN-free (x, y, slice) stack
     */
    Choice choose(RandomAccessibleInterval<FloatType> normalized, int w, int h, SliceNoise[] noise, DenoiseSettings settings,
                  NoiseFamily family, ProgressListener progress, CancelToken cancel) {
        long t0 = System.nanoTime();
        int cw = Math.min(CROP, w) / sizeMultiple * sizeMultiple, ch = Math.min(CROP, h) / sizeMultiple * sizeMultiple;
        if (cw < 3 * STRIDE || ch < 3 * STRIDE) return new Choice(1, SCALES, new double[0], 0, "slices too small to measure");
        List<Integer> slices = sampledSlices(noise);
        if (slices.isEmpty()) return new Choice(1, SCALES, new double[0], 0, "no slice with noise");
        int x0 = (w - cw) / 2, y0 = (h - ch) / 2, m = cw * ch, n = slices.size(), depth = noise.length;

        // the unmasked crops: slice, previous, next (or the slice itself without context), sigma map
        float[][][] crops = new float[n][4][];
        for (int j = 0; j < n; j++) {
            int z = slices.get(j);
            int[] zs = settings.sliceContext() ? new int[] {z, Math.max(0, z - 1), Math.min(depth - 1, z + 1)} : new int[] {z, z, z};
            for (int c = 0; c < 3; c++) crops[j][c] = crop(normalized, zs[c], x0, y0, cw, ch);
            crops[j][3] = mapCrop(noise[z], w, x0, y0, cw, ch);
        }
        int r = BLOCK / 2;
        int[][] offsets = {{0, 0}, {BLOCK, BLOCK}, {BLOCK, 0}, {0, BLOCK}};
        // per candidate, per masked centre: squared error (kept in order, so candidates can be paired)
        List<List<Double>> errors = new ArrayList<>();
        for (int k = 0; k < SCALES.length; k++) errors.add(new ArrayList<>());
        int total = SCALES.length * offsets.length, done = 0;
        for (int[] off : offsets) {
            List<int[]> centres = centres(cw, ch, r, off);
            float[] cond = new float[n * m * 4];
            for (int j = 0; j < n; j++) {
                for (int c = 0; c < 4; c++) {
                    float[] v = c < 3 ? masked(crops[j][c], cw, centres, r) : crops[j][c];
                    for (int p = 0; p < m; p++) cond[(j * m + p) * 4 + c] = v[p];
                }
            }
            for (int k = 0; k < SCALES.length; k++) {
                cancel.throwIfCancelled();
                progress.progress("adapting the conditioning " + (done + 1) + "/" + total, done++, total);
                float[] c = cond.clone();
                int[] tStar = new int[n];
                for (int j = 0; j < n; j++) {
                    SliceNoise sn = scaled(noise[slices.get(j)], SCALES[k]);
                    tStar[j] = sn.tStar();
                    for (int p = 0; p < m; p++) c[(j * m + p) * 4 + 3] = (float) (crops[j][3][p] * SCALES[k]);
                }
                float[] out = sampler.sample(n, ch, cw, c, tStar, settings.steps(), 0, new long[n], family, cancel, null);
                for (int j = 0; j < n; j++) {
                    for (int[] q : centres) {
                        int p = q[1] * cw + q[0];
                        double d = out[j * m + p] - crops[j][0][p];
                        errors.get(k).add(d * d);
                    }
                }
            }
        }
        double[] losses = new double[SCALES.length];
        for (int k = 0; k < SCALES.length; k++) losses[k] = errors.get(k).stream().mapToDouble(Double::doubleValue).average().orElse(0);
        int one = indexOfOne();
        int best = one;
        for (int k = 0; k < SCALES.length; k++) {
            if (k == one || losses[k] >= losses[best]) continue;
            if (clearlyBetter(errors.get(k), errors.get(one), losses[one])) best = k;
        }
        return new Choice(SCALES[best], SCALES, losses, (System.nanoTime() - t0) / 1e9, null);
    }

    /** Whether candidate errors {@code a} beat {@code base} by the relative margin and by {@link #Z_MARGIN} paired SEs. */
    static boolean clearlyBetter(List<Double> a, List<Double> base, double baseLoss) {
        int n = a.size();
        double sum = 0, sum2 = 0;
        for (int i = 0; i < n; i++) {
            double d = a.get(i) - base.get(i);
            sum += d;
            sum2 += d * d;
        }
        double mean = sum / n, var = Math.max(0, sum2 / n - mean * mean);
        double se = Math.sqrt(var / Math.max(1, n - 1));
        return mean < -RELATIVE_MARGIN * baseLoss && mean < -Z_MARGIN * se;
    }

    private static int indexOfOne() {
        for (int k = 0; k < SCALES.length; k++) if (SCALES[k] == 1) return k;
        throw new IllegalStateException("1 must be a candidate");
    }

    /** Up to {@link #SLICES} slices with noise, spread evenly over the series. */
    static List<Integer> sampledSlices(SliceNoise[] noise) {
        List<Integer> withNoise = new ArrayList<>();
        for (int z = 0; z < noise.length; z++) if (noise[z].tStar() > 0) withNoise.add(z);
        if (withNoise.size() <= SLICES) return withNoise;
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < SLICES; i++) out.add(withNoise.get((int) ((i + 0.5) * withNoise.size() / SLICES)));
        return out;
    }

    /** The block centres of one grid offset: each block and the block to its right lie inside the crop. */
    static List<int[]> centres(int cw, int ch, int r, int[] off) {
        List<int[]> out = new ArrayList<>();
        for (int y = r + off[1]; y + r < ch; y += STRIDE)
            for (int x = r + off[0]; x + r + BLOCK < cw; x += STRIDE) out.add(new int[] {x, y});
        return out;
    }

    /** A copy of {@code v} with each block around a centre replaced by the block to its right. */
    static float[] masked(float[] v, int cw, List<int[]> centres, int r) {
        float[] out = v.clone();
        for (int[] q : centres)
            for (int dy = -r; dy <= r; dy++)
                for (int dx = -r; dx <= r; dx++) {
                    int p = (q[1] + dy) * cw + q[0] + dx;
                    out[p] = v[p + BLOCK];
                }
        return out;
    }

    private static float[] crop(RandomAccessibleInterval<FloatType> stack, int z, int x0, int y0, int cw, int ch) {
        float[] out = new float[cw * ch];
        Conditioning.readTile(Conditioning.mirrored(net.imglib2.view.Views.hyperSlice(stack, 2, z)), x0, y0, cw, ch, out);
        return out;
    }

    private static float[] mapCrop(SliceNoise n, int w, int x0, int y0, int cw, int ch) {
        float[] out = new float[cw * ch];
        if (n.map() == null) {
            java.util.Arrays.fill(out, (float) n.normalized().sigma());
            return out;
        }
        for (int y = 0; y < ch; y++) System.arraycopy(n.map(), (y0 + y) * w + x0, out, y * cw, cw);
        return out;
    }
}
