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
    /** Edge of the tiles of resampled noise. */
    static final int TILE = NoiseResampling.TILE;
    /** Independent recorruptions per candidate. */
    static final int REALIZATIONS = 2;
    /** Edge of the central crop taken from each sampled slice. */
    static final int CROP = 128;
    /** Slices sampled from the series. */
    static final int SLICES = 3;
    /** Relative loss decrease a factor other than 1 needs to be taken. */
    static final double RELATIVE_MARGIN = 0.01;

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
        if (cw < 2 * TILE || ch < 2 * TILE || w < 4 * TILE || h < 4 * TILE)
            return new Choice(1, SCALES, new double[0], 0, "slices too small to measure");
        List<Integer> slices = sampledSlices(noise);
        if (slices.isEmpty()) return new Choice(1, SCALES, new double[0], 0, "no slice with noise");
        int x0 = (w - cw) / 2, y0 = (h - ch) / 2, m = cw * ch, n = slices.size();

        // per realization: the recorrupted inputs y + a (all three image channels) and targets y - a of every crop
        float[][] inputs = new float[REALIZATIONS][], targets = new float[REALIZATIONS][];
        float[][] maps = new float[n][];
        for (int j = 0; j < n; j++) maps[j] = mapCrop(noise[slices.get(j)], w, x0, y0, cw, ch);
        for (int r = 0; r < REALIZATIONS; r++) {
            inputs[r] = new float[n * m * 4];
            targets[r] = new float[n * m];
        }
        for (int j = 0; j < n; j++) {
            int z = slices.get(j);
            float[] y = crop(normalized, z, 0, 0, w, h);
            float[] fullMap = fullMap(noise[z], w, h);
            java.util.SplittableRandom rng = new java.util.SplittableRandom(settings.seed() * 31 + z);
            for (int r = 0; r < REALIZATIONS; r++) {
                float[] a = NoiseResampling.resample(y, fullMap, w, h, x0, y0, cw, ch, rng.split());
                if (a == null) return new Choice(1, SCALES, new double[0], 0, "no structure-free region to draw the noise from");
                for (int yy = 0; yy < ch; yy++)
                    for (int xx = 0; xx < cw; xx++) {
                        int p = yy * cw + xx;
                        float v = y[(y0 + yy) * w + x0 + xx];
                        float up = v + a[p];
                        for (int c = 0; c < 3; c++) inputs[r][(j * m + p) * 4 + c] = up;
                        targets[r][j * m + p] = v - a[p];
                    }
            }
        }
        double[][] errors = new double[SCALES.length][];
        int total = SCALES.length * REALIZATIONS, done = 0;
        for (int k = 0; k < SCALES.length; k++) {
            errors[k] = new double[n * REALIZATIONS];
            // the recorrupted input carries twice the noise variance
            double f = SCALES[k] * Math.sqrt(2);
            int[] tStar = new int[n];
            for (int j = 0; j < n; j++) tStar[j] = scaled(noise[slices.get(j)], f).tStar();
            for (int r = 0; r < REALIZATIONS; r++) {
                cancel.throwIfCancelled();
                progress.progress("adapting the conditioning " + (done + 1) + "/" + total, done++, total);
                float[] c = inputs[r].clone();
                for (int j = 0; j < n; j++) for (int p = 0; p < m; p++) c[(j * m + p) * 4 + 3] = (float) (maps[j][p] * f);
                float[] out = sampler.sample(n, ch, cw, c, tStar, settings.steps(), 0, new long[n], family, cancel, null);
                for (int j = 0; j < n; j++) {
                    double e = 0;
                    for (int p = 0; p < m; p++) {
                        double d = out[j * m + p] - targets[r][j * m + p];
                        e += d * d;
                    }
                    errors[k][r * n + j] = e / m;
                }
            }
        }
        double[] losses = new double[SCALES.length];
        for (int k = 0; k < SCALES.length; k++) losses[k] = java.util.Arrays.stream(errors[k]).average().orElse(0);
        int one = indexOfOne();
        int best = one;
        for (int k = 0; k < SCALES.length; k++)
            if (k != one && losses[k] < losses[best] && losses[k] < (1 - RELATIVE_MARGIN) * losses[one]) best = k;
        return new Choice(SCALES[best], SCALES, losses, (System.nanoTime() - t0) / 1e9, null);
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

    private static float[] fullMap(SliceNoise n, int w, int h) {
        if (n.map() != null) return n.map();
        float[] out = new float[w * h];
        java.util.Arrays.fill(out, (float) n.normalized().sigma());
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
