package org.diffdenoise.noise;

/** Measurements shared by the simulator tests: noise statistics over realizations, against the true sigma map. */
final class NoiseSimulatorChecks {

    private NoiseSimulatorChecks() {
    }

    /** Per-pixel standard deviation of (noisy - reference) over several realizations. */
    static double[] empiricalStd(NoiseSimulator sim, float[] clean, int w, int h, int runs, long seed) {
        double[] s1 = new double[w * h], s2 = new double[w * h];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        for (int r = 0; r < runs; r++) {
            NoiseRealization n = sim.simulate(clean, w, h, rng.split());
            for (int i = 0; i < s1.length; i++) {
                double d = n.noisy()[i] - n.reference()[i];
                s1[i] += d;
                s2[i] += d * d;
            }
        }
        double[] sd = new double[w * h];
        for (int i = 0; i < sd.length; i++) sd[i] = Math.sqrt(Math.max(0, s2[i] / runs - (s1[i] / runs) * (s1[i] / runs)) * runs / (runs - 1.0));
        return sd;
    }

    /** Mean over the pixels in mask of empirical / true std. */
    static double meanRatio(double[] empirical, float[] truth, boolean[] mask) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < empirical.length; i++) {
            if (mask != null && !mask[i]) continue;
            s += empirical[i] / truth[i];
            n++;
        }
        return s / n;
    }

    /** Horizontal lag-1 autocorrelation of the noise (noisy - reference), inside the mask. */
    static double lag1(NoiseRealization n, int w, int h, boolean[] mask) {
        double sxy = 0, sxx = 0, sm = 0;
        int c = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (mask != null && !mask[i]) continue;
                sm += n.noisy()[i] - n.reference()[i];
                c++;
            }
        double m = sm / c;
        for (int y = 0; y < h; y++)
            for (int x = 0; x + 1 < w; x++) {
                int i = y * w + x;
                if (mask != null && (!mask[i] || !mask[i + 1])) continue;
                double a = n.noisy()[i] - n.reference()[i] - m, b = n.noisy()[i + 1] - n.reference()[i + 1] - m;
                sxy += a * b;
                sxx += a * a;
            }
        return sxy / sxx;
    }

    /** A water disk (0 HU) of radius 0.4 size in air (-1000 HU). */
    static float[] waterDisk(int size) {
        float[] img = new float[size * size];
        double c = (size - 1) / 2.0, r = 0.4 * size;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                img[y * size + x] = Math.hypot(x - c, y - c) < r ? 0 : -1000;
        return img;
    }

    /** Pixels within a fraction of the disk radius. */
    static boolean[] inner(int size, double frac) {
        boolean[] m = new boolean[size * size];
        double c = (size - 1) / 2.0, r = 0.4 * size * frac;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) m[y * size + x] = Math.hypot(x - c, y - c) < r;
        return m;
    }
}
