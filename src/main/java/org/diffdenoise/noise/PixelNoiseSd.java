package org.diffdenoise.noise;

import java.util.Arrays;
import java.util.Optional;

/**
 * A slice's per-pixel noise standard deviation as a physicist's region of interest would measure it, which is what a
 * report states and what docs/diffusion.md's accuracy table judges. The level the network is conditioned on starts
 * from {@link NoiseField#sigmaMap} (for MR, the denoiser then sets or bounds it by its air); the SD differs from that
 * field only where the field is known to read high.
 *
 * <p>That is magnitude MR whose noise is spatially correlated (zero-filled, or zero-filled root-sum-of-squares):
 * the field reads the image's own texture in the coarse Haar scales as noise, 1.4-2.6 times the true SD on Colin27 T1 at
 * 2-5 % of its range. The air around the object holds the same per-pixel SD without anatomy: for one coil the air's
 * complex noise is the tissue's, and for a root sum of squares the per-coil sigma is the SD of the combined magnitude
 * wherever the signal is well above the noise; zero-filling correlates the noise but does not change its variance.
 * So the SD is the air's sigma ({@link MultiCoilBackground.SeriesBackground#airSigma}), which reads 0.95-0.98 of the
 * truth on those cases. What it cannot see is a parallel-imaging g-factor that raises the tissue's noise above the
 * air's: with R = 3 it reads 0.72-0.76 of the truth there (the field 1.3-1.6). White noise, with or without a g-factor,
 * keeps the field's map, which follows the g-factor within 12 %.
 *
 * @param map    per-pixel SD (w x h, row-major, the image's units)
 * @param rms    root mean square of the map
 * @param source how it was measured, in words
 */
public record PixelNoiseSd(float[] map, double rms, String source) {

    /** In words, the source of a level read in the air. */
    public static final String AIR = "the noise SD of the image's air";

    /**
     * The SD of a slice whose noise field is {@code field}.
     *
     * @param airSigma the per-coil noise sigma of the series' air (magnitude MR), or empty (no readable air; not MR)
     */
    public static PixelNoiseSd of(NoiseField field, Optional<Double> airSigma) {
        Optional<Double> air = fromAir(field.correlation(), airSigma);
        if (air.isEmpty()) return new PixelNoiseSd(field.sigmaMap(), field.sigma(), "the noise field");
        float[] map = new float[field.sigmaMap().length];
        Arrays.fill(map, air.get().floatValue());
        return new PixelNoiseSd(map, air.get(), AIR);
    }

    /**
     * The SD when it is read in the air rather than taken from the noise field: the air's sigma, for noise whose
     * scale-2/scale-1 {@code correlation} is what the field treats as correlated; otherwise empty.
     */
    public static Optional<Double> fromAir(double correlation, Optional<Double> airSigma) {
        return NoiseField.isCorrelated(correlation) ? airSigma : Optional.empty();
    }
}
