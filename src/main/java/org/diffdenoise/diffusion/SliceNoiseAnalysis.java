package org.diffdenoise.diffusion;

import org.diffdenoise.model.NoiseTexture;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.NothingToDenoiseException;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.noise.NoiseEstimate;
import org.diffdenoise.noise.NoiseField;
import org.diffdenoise.noise.NoiseFieldEstimator;
import org.diffdenoise.noise.PixelNoiseSd;
import org.diffdenoise.noise.RobustNormalization;

/** Per-slice noise analysis: each slice's noise field (or the user's fixed sigma) and the step t* it matches. */
final class SliceNoiseAnalysis {

    private final TimestepMatcher matcher;

    SliceNoiseAnalysis(TimestepMatcher matcher) {
        this.matcher = matcher;
    }

    /**
     * The noise of every slice of the request's stack, normalized by {@code norm}; whether there is anything to denoise
     * is judged once the levels are final ({@link #requireSomethingToDenoise}).
     */
    SliceNoise[] analyse(DenoiseRequest request, RobustNormalization norm) {
        SliceStack src = request.stack();
        double fixedSigma = request.settings().noiseSigma();
        int depth = src.depth();
        SliceNoise[] noise = new SliceNoise[depth];
        // slices are independent: with the noise field to estimate, the next slice is analysed on the common pool while
        // this thread does the current one (each result has its own index, so timing does not change it); the slices
        // are read on this thread only, since the input view need not allow concurrent reads
        boolean paired = Double.isNaN(fixedSigma) && ForkJoinPool.getCommonPoolParallelism() > 0
                && Runtime.getRuntime().availableProcessors() > 1;
        for (int z = 0; z < depth; z++) {
            request.cancel().throwIfCancelled();
            request.progress().progress("noise level slice " + (z + 1) + "/" + depth, z, depth);
            if (paired && z + 1 < depth) {
                int next = z + 1;
                float[] nextSlice = src.slice(next);
                SliceNoise[] out = noise;
                RuntimeException[] failure = new RuntimeException[1];
                ForkJoinTask<?> helper = ForkJoinTask.adapt(() -> {
                    try {
                        out[next] = slice(nextSlice, src.width(), src.height(), request.family(), fixedSigma, norm);
                    } catch (RuntimeException e) {
                        failure[0] = e;
                    }
                }).fork();
                try {
                    noise[z] = slice(src.slice(z), src.width(), src.height(), request.family(), fixedSigma, norm);
                } finally {
                    helper.join(); // never left running: the arrays it writes belong to this call
                }
                if (failure[0] != null) throw failure[0];
                z++;
                request.progress().progress("noise level slice " + (z + 1) + "/" + depth, z, depth);
            } else {
                noise[z] = slice(src.slice(z), src.width(), src.height(), request.family(), fixedSigma, norm);
            }
        }
        return noise;
    }

    /**
     * @throws NothingToDenoiseException when no slice has noise the model denoises: none measured (no sigma given), or
     *                                   all fainter than it denoises (estimated or given), since the result would equal
     *                                   the input
     */
    void requireSomethingToDenoise(SliceNoise[] noise, DenoiseSettings settings) {
        if (!noneDenoised(noise)) return;
        String faint = faintNote(noise);
        if (faint == null && !Double.isNaN(settings.noiseSigma())) return;
        throw new NothingToDenoiseException(faint != null ? faint + ", so the result would equal the input" : String.format(Locale.ROOT,
                "no measurable noise in any of its %d slice(s) (slice 1: estimated sigma %.3g, %s), so the result would "
                + "equal the input", noise.length, noise[0].modality().sigma(), noise[0].modality().method()));
    }

    /**
     * @throws NothingToDenoiseException when the {@code strength} the user asked for took every slice's level below what
     *                                   the model denoises ({@code noise} as scaled), since the result would equal the input
     */
    void requireSomethingAtStrength(SliceNoise[] noise, double strength) {
        if (!noneDenoised(noise)) return;
        throw new NothingToDenoiseException(String.format(Locale.ROOT, "at strength %.3g the noise level of every slice is fainter than "
                + "the model denoises (%.2g %% of the image's intensity range), so the result would equal the input; a higher strength "
                + "denoises it", strength, 100 * matcher.faintest()), false);
    }

    // every slice left as it is (t* 0): the result would equal the input
    private static boolean noneDenoised(SliceNoise[] noise) {
        return Arrays.stream(noise).allMatch(n -> n.tStar() == 0);
    }

    /** One slice's noise; {@code slice} may be overwritten. */
    SliceNoise slice(float[] slice, int w, int h, NoiseFamily family, double fixedSigma, RobustNormalization norm) {
        // the noise field: a per-pixel level that holds for correlated and spatially varying noise (issue 14)
        NoiseField field = Double.isNaN(fixedSigma) ? NoiseFieldEstimator.estimate(slice, w, h, family) : null;
        NoiseEstimate est = field != null ? field.summary() : new NoiseEstimate(fixedSigma, 0, fixedSigma, "given by the user");
        NoiseEstimate n = est.normalized(norm);
        float[] map = null; // null: constant n.sigma(), the user's
        if (field != null) {
            if (n.signalDependent())
                for (int i = 0; i < slice.length; i++) slice[i] = Float.isFinite(slice[i]) ? norm.apply(slice[i]) : 0f;
            map = field.conditioningMap(slice, w, h, norm);
        }
        return new SliceNoise(est, n, matcher.timestepFor(SliceNoise.representative(map, n.sigma())), map, field != null ? field.correlation() : 1,
                field != null ? NoiseTexture.of(field, family) : NoiseTexture.white());
    }

    /**
     * What the reported sigma is for spatially correlated noise, in words, or null when no slice's measured noise is
     * correlated ({@link NoiseField#isCorrelated}: smooth CT kernels 8-14 on the simulators, zero-filled MR 3.5-18,
     * detector blur 3.8-5.2; not white noise, 0.9-2.5, or ramp-kernel CT, 1.9-2.5, whose level is measured; a sigma the
     * user gave counts as white): the estimator's level for such noise can read well above the pixel standard deviation
     * on textured images (docs/diffusion.md, the accuracy table). Where the pixel standard deviation is read in the air
     * instead ({@link PixelNoiseSd#fromAir}: correlated magnitude MR with readable air), the note gives it.
     *
     * @param airSigma the per-coil noise sigma of the series' air (magnitude MR), or empty
     */
    static String correlationNote(SliceNoise[] noise, Optional<Double> airSigma) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (SliceNoise n : noise) {
            lo = Math.min(lo, n.correlation());
            hi = Math.max(hi, n.correlation());
        }
        if (!NoiseField.isCorrelated(hi)) return null;
        boolean all = NoiseField.isCorrelated(lo);
        String ratio = lo == hi || !all ? String.format(Locale.ROOT, "%s%.3g", all ? "" : "up to ", hi)
                : String.format(Locale.ROOT, "%.3g to %.3g", lo, hi);
        String measured = PixelNoiseSd.fromAir(hi, airSigma).map(sd -> String.format(Locale.ROOT, ", which %s puts at %.4g",
                PixelNoiseSd.AIR, sd)).orElse("");
        return "noise spatially correlated (Haar scale-2 / scale-1 variance ratio " + ratio + ", about 1 for white noise): "
                + "the estimated sigma is the level the model is conditioned on and can exceed the pixel standard deviation" + measured
                + " (where that smooths fine anatomy away, a strength below 1 keeps it)";
    }

    /**
     * What was left undenoised because its noise is fainter than the model denoises ({@link TimestepMatcher#faintest}),
     * in words, or null when no slice's is.
     */
    String faintNote(SliceNoise[] noise) {
        int faint = 0;
        double highest = 0;
        for (SliceNoise n : noise) {
            if (n.tStar() != 0 || !n.hasNoise()) continue;
            faint++;
            highest = Math.max(highest, n.normalized().sigma());
        }
        if (faint == 0) return null;
        return String.format(Locale.ROOT, "%d of %d slice(s) left as they are: their noise (up to %.2g %% of the image's intensity "
                + "range) is fainter than the model denoises (%.2g %%), which would smooth away detail of that size",
                faint, noise.length, 100 * highest, 100 * matcher.faintest());
    }

    /** The modality-unit sigma of each slice, as the result reports it. */
    static double[] modalitySigmas(SliceNoise[] noise) {
        double[] out = new double[noise.length];
        for (int z = 0; z < noise.length; z++) out[z] = noise[z].modality().sigma();
        return out;
    }
}
