package org.diffdenoise.diffusion;

import java.util.Locale;
import java.util.Optional;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.noise.MultiCoilBackground;
import org.diffdenoise.noise.NoiseField;

/**
 * Magnitude MR's estimated noise level, bounded by the noise of its air: at most {@link #FACTOR} times the per-coil
 * sigma read from the background ({@link MultiCoilBackground.SeriesBackground#airSigma}). The estimator reads anatomy as
 * correlated noise on high-SNR scanner images (a Siemens 3T 64-channel diffusion mosaic: 3113 against 55 in its air),
 * and a network conditioned on that wipes the anatomy; the air holds no anatomy. A sigma the user gave, and series
 * without readable air (masked, or none in the image), are left as they are; the latter are told so when their noise
 * reads as correlated ({@link #UNCHECKED}).
 */
final class AirLevelBound {

    /**
     * The bound over the air's sigma: the network wants up to about 2 times the true per-pixel sigma on zero-filled MR
     * (session 12, training images), and parallel imaging raises the noise of tissue over the air's by its g-factor
     * (about 1.5 at R = 2-3), so 3 leaves those alone; the benchmark's MR cases read 1.0-2.2.
     */
    static final double FACTOR = 3;

    /**
     * What the note says of magnitude MR whose noise reads as correlated and whose air cannot be read (masked, cropped
     * away, or quantized to mostly zeros): its level is the estimator's alone, which can take fine anatomy for noise.
     */
    static final String UNCHECKED = "no unmasked air to check the estimated level against: if fine detail is lost, give "
            + "the noise level (--sigma, the macro's noise_sigma)";

    private static boolean anyCorrelated(SliceNoise[] noise) {
        for (SliceNoise n : noise) if (NoiseField.isCorrelated(n.correlation())) return true;
        return false;
    }

    /** The slices' noise after the bound, and what was done in words (null when nothing was). */
    record Applied(SliceNoise[] noise, String note) {
    }

    private AirLevelBound() {
    }

    /** @param background the series' air ({@link MultiCoilBackground#background}; {@code NONE} for other families) */
    static Applied apply(DenoiseRequest request, SliceNoise[] noise, MultiCoilBackground.SeriesBackground background,
                         TimestepMatcher matcher) {
        Optional<Double> air = background.airSigma();
        if (!Double.isNaN(request.settings().noiseSigma())) return new Applied(noise, null);
        if (air.isEmpty()) return new Applied(noise, request.family() == NoiseFamily.RICIAN_MR && anyCorrelated(noise) ? UNCHECKED : null);
        double bound = FACTOR * air.get(), highest = 0;
        SliceNoise[] out = noise.clone();
        int bounded = 0;
        for (int z = 0; z < noise.length; z++) {
            double sigma = noise[z].modality().sigma();
            if (!(sigma > bound) || noise[z].tStar() == 0) continue;
            highest = Math.max(highest, sigma);
            out[z] = noise[z].rescaledEstimate(bound / sigma, matcher);
            bounded++;
        }
        if (bounded == 0) return new Applied(noise, null);
        return new Applied(out, String.format(Locale.ROOT, "noise level bounded by the air: the estimate (up to %.4g, %d of %d "
                + "slice(s)) exceeded %.0f times the noise sigma of the image's air (%.3g), which holds no anatomy, and was lowered to %.4g",
                highest, bounded, noise.length, FACTOR, air.get(), bound));
    }
}
