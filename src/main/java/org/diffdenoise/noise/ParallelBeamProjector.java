package org.diffdenoise.noise;

/**
 * Parallel-beam geometry of a w x h slice: N = max(w, h) views over 180 degrees, detector bins of one pixel centred
 * on the slice, pixel-driven forward and back projection with linear interpolation between the two bins a pixel's
 * centre falls between.
 */
final class ParallelBeamProjector {
    final int w, h, views, bins;
    private final double cx, cy, centre;
    private final double[] cos, sin;

    ParallelBeamProjector(int w, int h) {
        this.w = w;
        this.h = h;
        views = Math.max(w, h); // N views: the noise texture needs no more (pi/2 N would avoid view aliasing of sharp edges)
        bins = (int) Math.ceil(Math.hypot(w, h)) + 3;
        cx = (w - 1) / 2.0;
        cy = (h - 1) / 2.0;
        centre = (bins - 1) / 2.0;
        cos = new double[views];
        sin = new double[views];
        for (int v = 0; v < views; v++) {
            cos[v] = Math.cos(Math.PI * v / views);
            sin[v] = Math.sin(Math.PI * v / views);
        }
    }

    /** Line integrals [view][bin] of the per-pixel values {@code m} (zeros skipped), plus {@code offset} on every ray. */
    double[][] project(double[] m, double offset) {
        double[][] p = new double[views][bins];
        for (int v = 0; v < views; v++) {
            double[] row = p[v];
            double c = cos[v], s = sin[v];
            for (int y = 0; y < h; y++) {
                double base = (y - cy) * s + centre - cx * c;
                for (int x = 0; x < w; x++) {
                    double mv = m[y * w + x];
                    if (mv == 0) continue;
                    double t = base + x * c;
                    int k = (int) t; // t >= 1: the detector is wider than the slice
                    double a = t - k;
                    row[k] += (1 - a) * mv;
                    row[k + 1] += a * mv;
                }
            }
            if (offset > 0) for (int k = 0; k < bins; k++) row[k] += offset;
        }
        return p;
    }

    /** Sum over views of q[view](s(x)), linearly interpolated, times {@code scale}. */
    double[] backproject(double[][] q, double scale) {
        double[] out = new double[w * h];
        for (int v = 0; v < views; v++) {
            double[] row = q[v];
            double c = cos[v], s = sin[v];
            for (int y = 0; y < h; y++) {
                double base = (y - cy) * s + centre - cx * c;
                int o = y * w;
                for (int x = 0; x < w; x++) {
                    double t = base + x * c;
                    int k = (int) t; // t >= 1: the detector is wider than the slice
                    double a = t - k;
                    out[o + x] += (1 - a) * row[k] + a * row[k + 1];
                }
            }
        }
        for (int i = 0; i < out.length; i++) out[i] *= scale;
        return out;
    }

    /**
     * Adds one view's contribution to a pixel variance map: the interpolated value (1-a) q_k + a q_{k+1} has variance
     * (1-a)^2 var_k + a^2 var_{k+1} + 2 a (1-a) cov_k, from the view's bin variances {@code var} and covariances of
     * neighbouring bins {@code cov}.
     */
    void backprojectVariance(int view, double[] var, double[] cov, double[] out) {
        double c = cos[view], s = sin[view];
        for (int y = 0; y < h; y++) {
            double base = (y - cy) * s + centre - cx * c;
            int row = y * w;
            for (int x = 0; x < w; x++) {
                double t = base + x * c;
                int k = (int) t; // t >= 1: the detector is wider than the slice
                double a = t - k;
                out[row + x] += (1 - a) * (1 - a) * var[k] + a * a * var[k + 1] + 2 * a * (1 - a) * cov[k];
            }
        }
    }
}
