package org.diffdenoise.noise;

/**
 * The noise-level map of signal-dependent (Poisson–Gaussian) noise: sqrt(gain * max(blur(y), 0) + read^2), where
 * blur is a 3x3 box mean with mirrored borders. Training and inference both call {@link #map} so they agree.
 */
public final class SignalDependentSigma {

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
        float[] b = boxBlur3(y, w, h);
        double r2 = read * read;
        for (int i = 0; i < b.length; i++) b[i] = (float) Math.sqrt(gain * Math.max(b[i], 0) + r2);
        return b;
    }

    /** 3x3 box mean; the border mirrors without repeating the edge pixel (like ImgLib2's extendMirrorSingle). */
    public static float[] boxBlur3(float[] y, int w, int h) {
        float[] tmp = new float[y.length];
        for (int r = 0; r < h; r++) {
            int o = r * w;
            for (int c = 0; c < w; c++) {
                float s = y[o + mirror(c - 1, w)] + y[o + c] + y[o + mirror(c + 1, w)];
                tmp[o + c] = s;
            }
        }
        float[] out = new float[y.length];
        for (int r = 0; r < h; r++) {
            int up = mirror(r - 1, h) * w, dn = mirror(r + 1, h) * w, o = r * w;
            for (int c = 0; c < w; c++) out[o + c] = (tmp[up + c] + tmp[o + c] + tmp[dn + c]) / 9f;
        }
        return out;
    }

    static int mirror(int i, int n) {
        if (n == 1) return 0;
        if (i < 0) return -i;
        if (i >= n) return 2 * n - 2 - i;
        return i;
    }
}
