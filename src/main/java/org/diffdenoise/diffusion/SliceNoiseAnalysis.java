package org.diffdenoise.diffusion;

import org.diffdenoise.model.NoiseTexture;

import java.util.Arrays;
import java.util.Locale;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.NothingToDenoiseException;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.noise.NoiseEstimate;
import org.diffdenoise.noise.NoiseField;
import org.diffdenoise.noise.NoiseFieldEstimator;
import org.diffdenoise.noise.RobustNormalization;

/** Per-slice noise analysis: each slice's noise field (or the user's fixed sigma) and the step t* it matches. */
final class SliceNoiseAnalysis {

    private final TimestepMatcher matcher;

    SliceNoiseAnalysis(TimestepMatcher matcher) {
        this.matcher = matcher;
    }

    /**
     * The noise of every slice of the request's stack, normalized by {@code norm}.
     *
     * @throws NothingToDenoiseException when no sigma was given and no slice has measurable noise
     */
    SliceNoise[] analyse(DenoiseRequest request, RobustNormalization norm) {
        SliceStack src = request.stack();
        double fixedSigma = request.settings().noiseSigma();
        int depth = src.depth();
        SliceNoise[] noise = new SliceNoise[depth];
        for (int z = 0; z < depth; z++) {
            request.cancel().throwIfCancelled();
            request.progress().progress("noise level slice " + (z + 1) + "/" + depth, z, depth);
            noise[z] = slice(src.slice(z), src.width(), src.height(), request.family(), fixedSigma, norm);
        }
        if (Double.isNaN(fixedSigma) && Arrays.stream(noise).allMatch(n -> n.tStar() == 0)) {
            throw new NothingToDenoiseException(String.format(Locale.ROOT,
                    "no measurable noise in any of its %d slice(s) (slice 1: estimated sigma %.3g, %s), so the result would "
                    + "equal the input", depth, noise[0].modality().sigma(), noise[0].modality().method()));
        }
        return noise;
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
        double rep = map == null ? n.sigma() : TimestepMatcher.representativeSigma(map);
        return new SliceNoise(est, n, matcher.timestepFor(rep), map, field != null ? field.correlation() : 1,
                field != null ? NoiseTexture.of(field, family) : NoiseTexture.white());
    }

    /** The modality-unit sigma of each slice, as the result reports it. */
    static double[] modalitySigmas(SliceNoise[] noise) {
        double[] out = new double[noise.length];
        for (int z = 0; z < noise.length; z++) out[z] = noise[z].modality().sigma();
        return out;
    }
}
