package org.diffdenoise.noise;

/**
 * The noise-level map of signal-dependent (Poisson–Gaussian) noise: sqrt(gain * max(blur(y), 0) + read^2), where
 * blur is a (2 {@link #BLUR_RADIUS} + 1)^2 box mean with mirrored borders. Training and inference both call
 * {@link #map} so they agree; the shipped model was trained with this radius.
 */
public final class SignalDependentSigma {

    /** Radius of the box mean: 2, a 5x5 window. */
    public static final int BLUR_RADIUS = 2;

    private SignalDependentSigma() {
    }

    /**
     * @param y    image (w x h, row-major), normalized units
     * @param gain variance per unit of signal, normalized units
     * @param read signal-independent standard deviation, normalized units
     * @return the per-pixel noise standard deviation
     */
    public static float[] map(float[] y, int w, int h, double gain, double read) {
        if (y.length != (long) w * h) throw new IllegalArgumentException("image has " + y.length + " values, expected " + w + "x" + h);
        float[] b = boxBlur(y, w, h, BLUR_RADIUS);
        double r2 = read * read;
        for (int i = 0; i < b.length; i++) b[i] = (float) Math.sqrt(gain * Math.max(b[i], 0) + r2);
        return b;
    }

    /** (2r+1)^2 box mean, separable; the border mirrors without repeating the edge pixel (like ImgLib2's extendMirrorSingle). */
    public static float[] boxBlur(float[] y, int w, int h, int r) {
        float[] tmp = new float[y.length];
        float norm = 1f / (2 * r + 1);
        // away from the borders the mirrored index is the index itself: read directly there (the same values added in
        // the same order, so the same sums)
        for (int row = 0; row < h; row++) {
            int o = row * w;
            for (int c = 0; c < w; c++) {
                float s = 0;
                if (c >= r && c + r < w) for (int d = -r; d <= r; d++) s += y[o + c + d];
                else for (int d = -r; d <= r; d++) s += y[o + mirror(c + d, w)];
                tmp[o + c] = s * norm;
            }
        }
        float[] out = new float[y.length];
        for (int row = 0; row < h; row++) {
            int o = row * w;
            boolean inside = row >= r && row + r < h;
            for (int c = 0; c < w; c++) {
                float s = 0;
                if (inside) for (int d = -r; d <= r; d++) s += tmp[o + d * w + c];
                else for (int d = -r; d <= r; d++) s += tmp[mirror(row + d, h) * w + c];
                out[o + c] = s * norm;
            }
        }
        return out;
    }

    static int mirror(int i, int n) {
        if (n == 1) return 0;
        int period = 2 * n - 2;
        i = Math.floorMod(i, period);
        return i < n ? i : period - i;
    }
}
