package org.diffdenoise.noise;

/**
 * The level factor for CT noise whose spectrum is cut off radially (a sharp reconstruction kernel: ramp, Shepp-Logan),
 * which the white-noise estimator reads too low: it measures the finest diagonal Haar detail, and a spectrum that ends
 * on a circle at the detector's Nyquist frequency leaves the diagonal corners of the spectrum empty. The finest
 * horizontal-and-vertical over diagonal variance ({@link NoiseField#axisRatio}, 1 for white noise) measures that
 * deficit, and the true per-pixel standard deviation over the diagonal's estimate grows as the axis ratio to the power
 * {@value #EXPONENT} (on the centre of a flat water disk, {@link CtProjectionNoise}, 8 draws: ramp a = 1.72, factor 1.28;
 * Shepp-Logan a = 1.92, factor 1.39; a least-squares power through both; {@code RadialCutoffTest} re-measures them).
 * The axis ratio here is {@link HaarScale#axisToDiagonalTrimmed}: means of the lower 90 % of the squares rather than
 * medians, which have more sampling noise and read a slice whose noise level varies lower than a flat one.
 *
 * <p>At low noise image structure reaches the finest scale and raises the axis ratio too (white noise at 1 % of a
 * slice's range on the training images: 1.1-1.8), so the factor is applied only in the window where a sharp kernel's
 * noise puts the two descriptors at 2-5 % noise on the training images and the flat disk (axis ratio 1.6-2.05,
 * scale-2/scale-1 ratio 1.9-2.5), tapered to 1 outside it: white noise at 2 % or more reads an axis ratio of at most
 * 1.34 and a scale ratio of at most 1.8 there (the lower edge 1.45 leaves room for the ratio's sampling noise, about
 * 0.05 on a 256 x 256 slice). Smooth kernels (scale ratio {@value CorrelationCorrection#CORRELATED_RATIO} or more) are
 * measured by the multi-scale sum instead.
 */
final class RadialCutoff {

    /** The axis ratio here is measured under this share of the quietest scale-2 blocks: more blocks than the texture's
     * quarter ({@link HaarScale#QUIET_SHARE}), since the factor is steep in it (the benchmark's CT ramp 10 % slice over
     * ten noise draws: medians under the quarter 1.46-1.72, trimmed means under the half 1.66-1.77). */
    static final double QUIET_SHARE = 0.5;
    /** Power of the axis ratio that gives the level factor. */
    static final double EXPONENT = 0.48;
    /** Axis ratio: the factor fades in between these two ... */
    static final double AXIS_FROM = 1.45, AXIS_FULL = 1.6;
    /** ... and out between these two (structure at low noise). */
    static final double AXIS_FADE = 2.1, AXIS_TO = 2.4;
    /** Scale-2/scale-1 ratio: the factor fades in between these two (white noise with structure reads 1-1.8). */
    static final double RATIO_FROM = 1.6, RATIO_FULL = 1.9;

    private RadialCutoff() {
    }

    /** The factor on the white estimator's level for CT noise with these descriptors (1 where they do not say ramp). */
    static double factor(double axisRatio, double scaleRatio) {
        if (!(axisRatio > 1) || !(scaleRatio > 0) || scaleRatio >= CorrelationCorrection.CORRELATED_RATIO) return 1;
        double weight = rise(axisRatio, AXIS_FROM, AXIS_FULL) * (1 - rise(axisRatio, AXIS_FADE, AXIS_TO))
                * rise(scaleRatio, RATIO_FROM, RATIO_FULL);
        return 1 + weight * (Math.pow(Math.min(axisRatio, AXIS_FADE), EXPONENT) - 1);
    }

    /** 0 below {@code from}, 1 above {@code full}, linear between. */
    private static double rise(double x, double from, double full) {
        return Math.max(0, Math.min(1, (x - from) / (full - from)));
    }
}
