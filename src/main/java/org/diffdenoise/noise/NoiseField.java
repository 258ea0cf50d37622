package org.diffdenoise.noise;

/**
 * A slice's measured noise: a per-pixel noise-level map and a description of the noise's spatial correlation.
 *
 * @param sigmaMap    estimated per-pixel noise standard deviation (w x h, row-major, the image's units)
 * @param sigma       root mean square of the map
 * @param scaleEnergy share of the noise variance at Haar scales 1, 2, ... (finest first, 2^j pixels) and, last,
 *                    below the coarsest (extrapolated); white noise gives 3/4, 3/16, 3/64, ... (a coarse noise power
 *                    spectrum: correlated noise moves energy to the coarser scales)
 * @param correlation variance of the scale-2 diagonal Haar detail over that of scale 1 (1 for white noise, above 1
 *                    for low-pass correlated noise such as a smooth CT kernel, zero-filled MR or detector blur)
 * @param axisRatio   variance of the finest horizontal and vertical Haar details over the diagonal's, in flat regions
 *                    (1 for white noise, above 1 for noise whose spectrum is cut off radially, such as a ramp-kernel CT
 *                    reconstruction, and for smooth kernels and blur; {@code HaarScale#axisToDiagonal})
 * @param gain        for signal-dependent noise: variance per unit of signal behind the map (0 otherwise)
 * @param readSigma   for signal-dependent noise: the signal-independent standard deviation
 * @param method      how it was measured, for reports
 */
public record NoiseField(float[] sigmaMap, double sigma, double[] scaleEnergy, double correlation, double axisRatio, double gain,
        double readSigma, String method) {

    /**
     * Whether a scale-2/scale-1 {@code correlation} is what the estimator treats as spatially correlated noise (its
     * multi-scale path): smooth CT kernels, zero-filled MR, detector blur, not white noise or sharp-kernel CT.
     */
    public static boolean isCorrelated(double correlation) {
        return correlation >= CorrelationCorrection.CORRELATED_RATIO;
    }

    /**
     * Whether a series whose slices read these {@code correlation}s has correlated noise: the median slice's reading
     * ({@link #isCorrelated}), since one series has one kind of noise and a slice's reading moves with its anatomy; a
     * series of no readings is white.
     */
    public static boolean isCorrelatedSeries(double[] correlations) {
        return correlations.length > 0 && isCorrelated(OrderStatistics.medianInPlace(correlations.clone(), correlations.length));
    }

    /** The single-number summary the rest of the pipeline reports (sigma = rms of the map). */
    public NoiseEstimate summary() {
        return new NoiseEstimate(sigma, gain, gain > 0 ? readSigma : sigma, method);
    }

    /**
     * The sigma map the network is conditioned on, in the normalized units of {@code norm}: for signal-dependent noise
     * the Poisson-Gaussian map of the (already normalized) slice, otherwise this field's map over the scale. One
     * definition for inference and for training on estimated maps ({@code train --estimated-map}).
     *
     * @param normalizedSlice the slice after {@code norm} (read only for signal-dependent noise)
     */
    public float[] conditioningMap(float[] normalizedSlice, int w, int h, RobustNormalization norm) {
        NoiseEstimate n = summary().normalized(norm);
        if (n.signalDependent()) return SignalDependentSigma.map(normalizedSlice, w, h, n.gain(), n.readSigma());
        float[] map = sigmaMap.clone();
        for (int i = 0; i < map.length; i++) map[i] /= (float) norm.scale();
        return map;
    }

    /** Whether the map varies over the slice (more than 1 % between its extremes). */
    public boolean varies() {
        float lo = Float.POSITIVE_INFINITY, hi = 0;
        for (float v : sigmaMap) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi > 1.01 * lo;
    }
}
