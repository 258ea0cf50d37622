package org.diffdenoise.diffusion;

import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;

/**
 * A parametric bootstrap of how well the error map fits one series. The series' own denoised output stands in for
 * the truth: re-noised with the noise field that was measured on the series (Rician for MR, additive Gaussian
 * otherwise) and denoised again with the same conditioning, its error is known, and {@link #ratio} compares it with
 * the map computed for that second run. A series on which the denoiser does better than on the fitting cases gives a
 * lower ratio than they did, and its map is scaled down accordingly (the scaling itself is applied by the caller,
 * with the fitting cases' ratio from the bundle's calibration).
 */
public final class ErrorScaleBootstrap {

    /** MR pixels count where the output is above this fraction of its range (the object, as the benchmark judges it). */
    static final double OBJECT_FRACTION = 0.1;
    /** The per-series factor is kept within [1 / LIMIT, LIMIT]. */
    static final double LIMIT = 2;

    private ErrorScaleBootstrap() {
    }

    /**
     * The re-noised output of one slice: {@code clean} plus noise of the local std {@code sigma}, magnitude of complex
     * noise for MR (Rician), additive Gaussian for the other families. Non-finite values stay as they are.
     */
    static float[] renoise(float[] clean, float[] sigma, NoiseFamily family, SplittableRandom rng) {
        float[] out = new float[clean.length];
        for (int i = 0; i < clean.length; i++) {
            float c = clean[i];
            if (!Float.isFinite(c)) {
                out[i] = c;
                continue;
            }
            double re = c + sigma[i] * rng.nextGaussian();
            out[i] = (float) (family == NoiseFamily.RICIAN_MR ? Math.hypot(re, sigma[i] * rng.nextGaussian()) : re);
        }
        return out;
    }

    /**
     * The pixels the ratio is taken over: every finite pixel of the slices that were denoised, for MR only those whose
     * output is above {@link #OBJECT_FRACTION} of the output's range (air is denoised to nearly 0 and says little).
     *
     * @param output   the denoised series, slice after slice (w x h each)
     * @param denoised per slice, whether it was denoised (t* above 0)
     */
    public static boolean[] pixels(float[][] output, boolean[] denoised, NoiseFamily family) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float[] s : output)
            for (float v : s)
                if (Float.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
        double cut = family == NoiseFamily.RICIAN_MR ? lo + OBJECT_FRACTION * (hi - lo) : Double.NEGATIVE_INFINITY;
        int n = output.length == 0 ? 0 : output[0].length;
        boolean[] keep = new boolean[output.length * n];
        for (int z = 0; z < output.length; z++)
            if (denoised[z])
                for (int i = 0; i < n; i++) keep[z * n + i] = Float.isFinite(output[z][i]) && output[z][i] > cut;
        return keep;
    }

    /**
     * The bootstrap's RMS error (second output against the first) over the RMS of the map of the second run, over
     * {@code keep}; NaN when no pixel counts or the map is 0 there.
     */
    static double ratio(float[][] output, float[][] rerun, float[][] rerunMap, boolean[] keep) {
        double e = 0, m = 0;
        for (int z = 0; z < output.length; z++) {
            int n = output[z].length;
            for (int i = 0; i < n; i++) {
                if (!keep[z * n + i]) continue;
                double d = rerun[z][i] - output[z][i];
                e += d * d;
                m += (double) rerunMap[z][i] * rerunMap[z][i];
            }
        }
        return m > 0 ? Math.sqrt(e / m) : Double.NaN;
    }

    /** The factor for a series whose ratio is {@code ratio}, given the fitting cases' {@code reference}: 1 when undefined. */
    static double factor(double ratio, double reference) {
        if (!(ratio > 0) || !(reference > 0) || Double.isInfinite(ratio)) return 1;
        return Math.max(1 / LIMIT, Math.min(LIMIT, ratio / reference));
    }
}
