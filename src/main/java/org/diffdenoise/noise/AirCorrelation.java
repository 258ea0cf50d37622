package org.diffdenoise.noise;

import java.util.Optional;

/**
 * How spatially correlated magnitude MR's noise is, read in its air, where there is no anatomy to mistake for noise:
 * the scale-2 over scale-1 variance of the orthonormal Haar transform's diagonal detail (1 for white noise; zero-filled
 * k-space raises it) over the 4 x 4 blocks whose mean lies below {@link #AIR_CUT} times the air's mean magnitude. The
 * estimator's own ratio ({@link NoiseField#correlation()}) is read over the anatomy and takes fine anatomy for correlated
 * noise on low-noise slices; this one does not, but needs readable air ({@link MultiCoilBackground#readLevel}).
 */
public final class AirCorrelation {

    /** Blocks whose mean magnitude is below this many times the air's mean count as air. */
    static final double AIR_CUT = 1.5;
    /** Fewest air blocks for a reading. */
    static final int MIN_BLOCKS = 64;

    private AirCorrelation() {
    }

    /** The ratio for a magnitude slice (w x h, row-major), or empty without readable air. */
    public static Optional<Double> of(float[] slice, int w, int h) {
        Optional<MultiCoilBackground.Reading> air = MultiCoilBackground.readLevel(slice, w, h);
        if (air.isEmpty()) return Optional.empty();
        MultiCoilBackground.Reading r = air.get();
        double cut = AIR_CUT * r.sigma() * MultiCoilBackground.chiMean(2 * r.coils());
        double fine = 0, coarse = 0;
        int blocks = 0;
        for (int y = 0; y + 4 <= h; y += 4)
            for (int x = 0; x + 4 <= w; x += 4) {
                double sum = 0;
                boolean positive = true;
                for (int dy = 0; dy < 4; dy++)
                    for (int dx = 0; dx < 4; dx++) {
                        float v = slice[(y + dy) * w + x + dx];
                        sum += v;
                        positive &= v > 0; // exact zeros: masked air or padding, not noise
                    }
                if (!positive || sum / 16 > cut) continue;
                double[] approx = new double[4];
                for (int q = 0; q < 4; q++) {
                    int i = (y + 2 * (q / 2)) * w + x + 2 * (q % 2);
                    double a = slice[i], b = slice[i + 1], c = slice[i + w], d = slice[i + w + 1];
                    double diag = (a - b - c + d) / 2;
                    fine += diag * diag;
                    approx[q] = (a + b + c + d) / 2;
                }
                double diag2 = (approx[0] - approx[1] - approx[2] + approx[3]) / 2;
                coarse += diag2 * diag2;
                blocks++;
            }
        if (blocks < MIN_BLOCKS || !(fine > 0)) return Optional.empty();
        return Optional.of((coarse / blocks) / (fine / (4.0 * blocks)));
    }
}
