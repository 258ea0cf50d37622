package org.diffdenoise.noise;

import java.util.Arrays;

/**
 * Per-image intensity normalization from robust statistics: the low and high percentiles map to 0 and 1.
 * The network sees normalized values; {@link #invert} brings its output back to modality units exactly.
 * Training and inference must use this one class so that they agree.
 *
 * @param low   modality value mapped to 0
 * @param scale modality units per normalized unit (high minus low, never zero)
 */
public record RobustNormalization(double low, double scale) {

    /** Percentiles used to fit (in percent). */
    public static final double LOW_PERCENTILE = 0.5, HIGH_PERCENTILE = 99.5;

    public RobustNormalization {
        if (!(scale > 0) || !Double.isFinite(scale) || !Double.isFinite(low))
            throw new IllegalArgumentException("invalid normalization low=" + low + " scale=" + scale);
    }

    /** Fits the 0.5th and 99.5th percentiles of {@code values} (NaNs ignored; a flat image gets scale 1). */
    public static RobustNormalization fit(float[] values) {
        float[] v = new float[values.length];
        int n = 0;
        for (float x : values) if (Float.isFinite(x)) v[n++] = x;
        if (n == 0) return new RobustNormalization(0, 1);
        v = Arrays.copyOf(v, n);
        Arrays.sort(v);
        double lo = percentileSorted(v, LOW_PERCENTILE);
        double hi = percentileSorted(v, HIGH_PERCENTILE);
        double scale = hi - lo;
        if (!(scale > 1e-12)) scale = Math.max(1.0, Math.abs(hi) * 1e-6);
        return new RobustNormalization(lo, scale);
    }

    /** Linear-interpolated percentile (0..100) of an ascending array. */
    public static double percentileSorted(float[] sorted, double percent) {
        if (sorted.length == 1) return sorted[0];
        double pos = percent / 100.0 * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        double f = pos - i;
        return sorted[i] * (1 - f) + sorted[j] * f;
    }

    public float apply(double modalityValue) {
        return (float) ((modalityValue - low) / scale);
    }

    public double invert(double normalizedValue) {
        return normalizedValue * scale + low;
    }

    /** Normalizes in place. */
    public void applyInPlace(float[] values) {
        for (int i = 0; i < values.length; i++) values[i] = apply(values[i]);
    }

    /** Brings normalized values back to modality units, in place. */
    public void invertInPlace(float[] values) {
        for (int i = 0; i < values.length; i++) values[i] = (float) invert(values[i]);
    }

    /** A noise standard deviation in modality units, expressed in normalized units. */
    public double sigmaToNormalized(double sigmaModality) {
        return sigmaModality / scale;
    }
}
