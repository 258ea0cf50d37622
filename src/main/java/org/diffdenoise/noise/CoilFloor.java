package org.diffdenoise.noise;

/**
 * Removes the noise floor of a multi-coil magnitude background ({@link MultiCoilBackground.Reading}: N coils, per-coil
 * sigma) from magnitudes y: the larger of
 * <ul>
 * <li>sqrt(max(y^2 - 2 (N - 1) sigma^2, 0)), which leaves the mean squared magnitude of one coil's data (E[y^2] = x^2
 * + 2 N sigma^2 for N coils), and</li>
 * <li>the Rayleigh value of the same quantile, sigma sqrt(-2 ln Q(N, y^2 / (2 sigma^2))), which maps noise-only
 * background onto one coil's Rayleigh background.</li>
 * </ul>
 * The second is the larger only in the lower part of the background's range, so tissue gets the first and the air's
 * lower part becomes Rayleigh instead of being clipped to 0 (16 coils: its lower quartile at Rayleigh's; its upper part
 * keeps the first's values, up to a few sigma). Measured against the first alone: docs/benchmarks.md. Tabulated up to
 * where the second can matter, so that it costs a lookup per value.
 */
public final class CoilFloor {

    /** Table entries over [0, top]. */
    static final int TABLE = 16384;

    private final MultiCoilBackground.Reading reading;
    private final double energy, top;
    private final float[] table;

    private CoilFloor(MultiCoilBackground.Reading reading) {
        this.reading = reading;
        double coils = reading.coils(), sigma = reading.sigma();
        this.energy = 2 * Math.max(coils - 1, 0) * sigma * sigma;
        // above y^2 / (2 sigma^2) = N + 12 sqrt(N) + 30 the quantile map is far below the first (and Q underflows)
        this.top = sigma * Math.sqrt(2 * (coils + 12 * Math.sqrt(coils) + 30));
        this.table = new float[TABLE + 1];
        for (int i = 0; i <= TABLE; i++) table[i] = (float) exact(top * i / TABLE);
    }

    /** The removal for a series' background reading. */
    public static CoilFloor of(MultiCoilBackground.Reading r) {
        if (!(r.sigma() > 0) || !(r.coils() >= 1)) throw new IllegalArgumentException("no coil floor to remove: " + r);
        return new CoilFloor(r);
    }

    /** The background reading this removal was made for. */
    public MultiCoilBackground.Reading reading() {
        return reading;
    }

    /** The floor the noise adds to the squared magnitude beyond one coil's: 2 (N - 1) sigma^2. */
    public double energy() {
        return energy;
    }

    /**
     * y with the floor removed (tabulated with linear interpolation up to a few sigma above the background); values that
     * are not positive (0, negative, NaN) stay as they are.
     */
    public float remove(float y) {
        if (!(y > 0)) return y;
        if (y >= top) return (float) Math.sqrt(Math.max((double) y * y - energy, 0));
        double pos = y / top * TABLE;
        int i = (int) pos;
        double f = pos - i;
        return (float) (table[i] + f * (table[Math.min(i + 1, TABLE)] - table[i]));
    }

    /** y with the floor removed, computed (what the table holds). */
    double exact(double y) {
        double moments = Math.sqrt(Math.max(y * y - energy, 0));
        double sigma = reading.sigma(), q = GammaFunctions.upperGammaQ(reading.coils(), y * y / (2 * sigma * sigma));
        return Math.max(moments, q > 0 ? sigma * Math.sqrt(-2 * Math.log(q)) : moments);
    }
}
