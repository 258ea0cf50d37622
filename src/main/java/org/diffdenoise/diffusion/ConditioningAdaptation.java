package org.diffdenoise.diffusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.ModelSignature;
import org.diffdenoise.model.NoiseTexture;
import org.diffdenoise.api.ProgressListener;

/**
 * Per-series self-supervised adaptation of the conditioning ({@code denoise --adapt}): the network was trained on white
 * noise, and on correlated noise it can need another noise-level channel than the estimated one. This picks a factor on
 * every slice's sigma map (t* moves with it) from 2^(i/4) in [0.5, 4] by a recorruption (R2R) loss measured on central
 * crops of a few slices of the series itself: a fresh draw {@code a} of the crop's own noise ({@link NoiseResampling})
 * is added for the input and subtracted for the target, so the mean squared difference ranks the factors without a
 * clean image. The draw carries image texture too, which biases the loss; the same loss on a white-noise control (the
 * default output of the crop plus white noise at the map's level, where the right factor is 1 by construction) measures
 * that bias, and the factor taken is the ratio of the two minima. Ratios within {@link #TIE} of 1 keep 1, and so does
 * a ratio where the series' own loss is not lower than at 1 (the two minima then disagree on the direction: on flat,
 * noisy loss curves their ratio is noise), so a series the model already handles does not move. Cost: 2 x 13 x 2
 * network runs on up to three 128x128 crops plus one.
 */
final class ConditioningAdaptation {

    /** The candidate factors on the sigma map: 2^((i - 4) / 4), rounded to two decimals. */
    static final double[] SCALES = {0.5, 0.59, 0.71, 0.84, 1, 1.19, 1.41, 1.68, 2, 2.38, 2.83, 3.36, 4};
    /** Candidates per factor of 2. */
    static final int STEPS_PER_OCTAVE = 4;
    /** A factor within this ratio of 1 is taken as 1: the noise the model already handles does not move. */
    static final double TIE = 1.25;
    /** Edge of the tiles of resampled noise. */
    static final int TILE = NoiseResampling.TILE;
    /** Independent recorruptions per candidate. */
    static final int REALIZATIONS = 2;
    /** Edge of the central crop taken from each sampled slice. */
    static final int CROP = 128;
    /** Slices sampled from the series. */
    static final int SLICES = 3;

    /**
     * What the adaptation chose and why.
     *
     * @param scale         the factor on the sigma maps (1: unchanged)
     * @param seriesMinimum the factor where the series' loss is smallest (NaN when nothing was measured)
     * @param controlMinimum the factor where the white-noise control's loss is smallest
     * @param losses        the series' then the control's loss per candidate of {@link #SCALES}; empty when not measured
     * @param seconds       time taken
     * @param note          why nothing was measured, or null
     */
    record Choice(double scale, double seriesMinimum, double controlMinimum, double[] losses, double seconds, String note) {

        static Choice none(String why) {
            return new Choice(1, Double.NaN, Double.NaN, new double[0], 0, why);
        }

        /** "adaptation: sigma map x 1.3 (recorruption loss lowest at x 2.18 on the series, x 1.68 on its white-noise control), 4.1 s". */
        String describe() {
            if (note != null) return "adaptation: sigma map x 1 (" + note + ")";
            double ratio = seriesMinimum / controlMinimum;
            String kept = scale != 1 ? "" : withinTie(ratio) ? "; ratios within " + TIE + " of 1 keep 1"
                    : String.format(Locale.ROOT, "; the series' own loss is not lower at x %.2f than at x 1, which is kept", ratio);
            return String.format(Locale.ROOT, "adaptation: sigma map x %.2f (recorruption loss lowest at x %.2f on the series, "
                    + "x %.2f on its white-noise control%s), %.1f s", scale, seriesMinimum, controlMinimum, kept, seconds);
        }
    }

    private final DiffusionSampler sampler;
    private final TimestepMatcher matcher;
    private final int sizeMultiple;
    /** Whether the network reads the noise texture itself (then CT and X-ray keep their conditioning). */
    private final boolean networkTakesTexture;

    ConditioningAdaptation(DiffusionSampler sampler, TimestepMatcher matcher, int sizeMultiple, boolean networkTakesTexture) {
        this.sampler = sampler;
        this.matcher = matcher;
        this.sizeMultiple = sizeMultiple;
        this.networkTakesTexture = networkTakesTexture;
    }

    /** The slices' noise with every sigma map (or constant sigma) times {@code scale}, t* matched anew. */
    SliceNoise[] scaled(SliceNoise[] noise, double scale) {
        if (scale == 1) return noise;
        SliceNoise[] out = new SliceNoise[noise.length];
        for (int z = 0; z < noise.length; z++) out[z] = noise[z].scaled(scale, matcher);
        return out;
    }

    /**
     * Picks the factor for a series.
     *
     * @param normalized the normalized, NaN-free (x, y, slice) stack
     */
    Choice choose(RandomAccessibleInterval<FloatType> normalized, int w, int h, SliceNoise[] noise, DenoiseSettings settings,
                  NoiseFamily family, ProgressListener progress, CancelToken cancel) {
        long t0 = System.nanoTime();
        // a network given the texture was trained on these families' correlated noise at the estimator's map: a
        // factor on top of that cost 0.8 dB on Hann-kernel CT (ConditioningAdaptationTest), and the issue allows 0.1
        if (networkTakesTexture && NoiseTexture.FAMILIES.contains(family))
            return Choice.none("the model reads this noise's texture itself");
        int cw = Math.min(CROP, w) / sizeMultiple * sizeMultiple, ch = Math.min(CROP, h) / sizeMultiple * sizeMultiple;
        if (cw < 2 * TILE || ch < 2 * TILE || w < 4 * TILE || h < 4 * TILE)
            return Choice.none("slices too small to measure");
        List<Integer> slices = sampledSlices(noise);
        if (slices.isEmpty()) return Choice.none("no slice with noise");
        int x0 = (w - cw) / 2, y0 = (h - ch) / 2, m = cw * ch, n = slices.size();

        float[][] ys = new float[n][], maps = new float[n][];
        int[] tStar1 = new int[n];
        for (int j = 0; j < n; j++) {
            int z = slices.get(j);
            ys[j] = crop(normalized, z, x0, y0, cw, ch);
            maps[j] = mapCrop(noise[z], w, x0, y0, cw, ch);
            tStar1[j] = noise[z].tStar();
        }
        // the control: the default output of each crop plus white noise at the map's level, which the network was
        // trained on (its best factor is 1 by construction); the loss's own bias on this image shows there
        // each crop is its own slice context here: neighbours would need draws of their own
        float[] cond = new float[n * m * 4];
        for (int j = 0; j < n; j++)
            for (int p = 0; p < m; p++) {
                for (int c = 0; c < 3; c++) cond[(j * m + p) * 4 + c] = ys[j][p];
                cond[(j * m + p) * 4 + 3] = maps[j][p];
            }
        float[] proxy = sampler.sample(new SamplingBatch(n, ch, cw, cond, tStar1, settings.steps(), 0, new long[n], 0, family,
                textures(slices, noise)), cancel, null);
        float[][] control = new float[n][m];
        SplittableRandom white = new SplittableRandom(settings.seed() * 17 + 5);
        for (int j = 0; j < n; j++)
            for (int p = 0; p < m; p++) control[j][p] = (float) (proxy[j * m + p] + white.nextGaussian() * maps[j][p]);
        int[] counter = {0, 2 * SCALES.length * REALIZATIONS};
        double[] dataLoss = recorruptionLosses(ys, maps, slices, noise, cw, ch, settings, family, progress, cancel, counter);
        if (dataLoss == null) return Choice.none("no structure-free region to draw the noise from");
        double[] controlLoss = recorruptionLosses(control, maps, slices, noise, cw, ch, settings, family, progress, cancel, counter);
        if (controlLoss == null) return Choice.none("no structure-free region to draw the noise from");
        double seriesMin = factorAt(minimumIndex(dataLoss)), controlMin = factorAt(minimumIndex(controlLoss));
        double ratio = Math.max(SCALES[0], Math.min(SCALES[SCALES.length - 1], seriesMin / controlMin));
        // the series' own loss must agree on the direction: where it is not lower than at 1, the ratio is the noise of
        // two flat curves (colin27 T1 at 10 % Rician noise: minima x 0.90 and x 1.19, ratio 0.76, -2.85 dB)
        boolean move = !withinTie(ratio) && lossAt(dataLoss, ratio) < dataLoss[indexOfOne()];
        double scale = move ? ratio : 1;
        double[] losses = new double[2 * SCALES.length];
        System.arraycopy(dataLoss, 0, losses, 0, SCALES.length);
        System.arraycopy(controlLoss, 0, losses, SCALES.length, SCALES.length);
        return new Choice(Math.round(scale * 100) / 100.0, seriesMin, controlMin, losses, (System.nanoTime() - t0) / 1e9, null);
    }

    /** The network's texture input of each crop: its slice's. */
    private static float[] textures(List<Integer> slices, SliceNoise[] noise) {
        int tc = ModelSignature.TEXTURE_CHANNELS;
        float[] out = new float[slices.size() * tc];
        for (int j = 0; j < slices.size(); j++) System.arraycopy(noise[slices.get(j)].texture(), 0, out, j * tc, tc);
        return out;
    }

    /** The factor at a (fractional) candidate index: 2^((i - 4) / 4). */
    static double factorAt(double index) {
        return Math.pow(2, (index - indexOfOne()) / STEPS_PER_OCTAVE);
    }

    /**
     * The recorruption (R2R) loss of every candidate on the crops: with {@code a} a fresh draw of the crop's own noise
     * ({@link NoiseResampling}), the network denoises y + a (twice the noise variance, conditioned so) and is compared
     * with y - a, whose noise is uncorrelated with the input's; the mean squared difference is the error against the
     * clean image plus a constant. Null when no noise could be drawn.
     */
    private double[] recorruptionLosses(float[][] ys, float[][] maps, List<Integer> slices, SliceNoise[] noise, int cw, int ch,
                                        DenoiseSettings settings, NoiseFamily family, ProgressListener progress,
                                        CancelToken cancel, int[] counter) {
        int n = ys.length, m = cw * ch;
        float[][] inputs = new float[REALIZATIONS][n * m * 4], targets = new float[REALIZATIONS][n * m];
        for (int j = 0; j < n; j++) {
            SplittableRandom rng = new SplittableRandom(settings.seed() * 31 + slices.get(j));
            for (int r = 0; r < REALIZATIONS; r++) {
                float[] a = NoiseResampling.resample(ys[j], maps[j], cw, ch, 0, 0, cw, ch, rng.split());
                if (a == null) return null;
                for (int p = 0; p < m; p++) {
                    float up = ys[j][p] + a[p];
                    for (int c = 0; c < 3; c++) inputs[r][(j * m + p) * 4 + c] = up;
                    targets[r][j * m + p] = ys[j][p] - a[p];
                }
            }
        }
        double[] losses = new double[SCALES.length];
        for (int k = 0; k < SCALES.length; k++) {
            // the recorrupted input carries twice the noise variance
            double f = SCALES[k] * Math.sqrt(2);
            int[] tStar = new int[n];
            for (int j = 0; j < n; j++) tStar[j] = noise[slices.get(j)].scaled(f, matcher).tStar();
            for (int r = 0; r < REALIZATIONS; r++) {
                cancel.throwIfCancelled();
                progress.progress("adapting the conditioning " + (counter[0] + 1) + "/" + counter[1], counter[0]++, counter[1]);
                float[] c = inputs[r].clone();
                for (int j = 0; j < n; j++) for (int p = 0; p < m; p++) c[(j * m + p) * 4 + 3] = (float) (maps[j][p] * f);
                float[] out = sampler.sample(new SamplingBatch(n, ch, cw, c, tStar, settings.steps(), 0, new long[n], 0, family,
                        textures(slices, noise)), cancel, null);
                double e = 0;
                for (int i = 0; i < n * m; i++) {
                    double d = out[i] - targets[r][i];
                    e += d * d;
                }
                losses[k] += e / (n * m) / REALIZATIONS;
            }
        }
        return losses;
    }

    /** Whether a factor is within {@link #TIE} of 1 (then 1 is kept). */
    static boolean withinTie(double factor) {
        return Math.abs(Math.log(factor)) < Math.log(TIE);
    }

    /** The loss at a factor between the candidates, linear in the candidate index (log of the factor). */
    static double lossAt(double[] l, double factor) {
        double index = indexOfOne() + STEPS_PER_OCTAVE * Math.log(factor) / Math.log(2);
        int k = (int) Math.max(0, Math.min(l.length - 2, Math.floor(index)));
        double t = Math.max(0, Math.min(1, index - k));
        return l[k] + t * (l[k + 1] - l[k]);
    }

    /** The index of the smallest loss, refined by a parabola through it and its neighbours (fractional). */
    static double minimumIndex(double[] l) {
        int k = 0;
        for (int i = 1; i < l.length; i++) if (l[i] < l[k]) k = i;
        if (k == 0 || k == l.length - 1) return k;
        double den = l[k - 1] - 2 * l[k] + l[k + 1];
        return den > 0 ? k + 0.5 * (l[k - 1] - l[k + 1]) / den : k;
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

    private static float[] crop(RandomAccessibleInterval<FloatType> stack, int z, int x0, int y0, int cw, int ch) {
        float[] out = new float[cw * ch];
        Conditioning.readTile(Conditioning.mirrored(Views.hyperSlice(stack, 2, z)), x0, y0, cw, ch, out);
        return out;
    }

    private static float[] mapCrop(SliceNoise n, int w, int x0, int y0, int cw, int ch) {
        float[] out = new float[cw * ch];
        if (n.map() == null) {
            Arrays.fill(out, (float) n.normalized().sigma());
            return out;
        }
        for (int y = 0; y < ch; y++) System.arraycopy(n.map(), (y0 + y) * w + x0, out, y * cw, cw);
        return out;
    }
}
