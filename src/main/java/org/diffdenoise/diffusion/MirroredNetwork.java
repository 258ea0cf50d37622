package org.diffdenoise.diffusion;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.DenoisingNetwork;

/**
 * A network that sees its input mirrored (flip 1 left-right, 2 up-down, 3 both) and whose prediction is mirrored
 * back: the sampler's self-ensemble evaluates successive steps through different mirrors at no extra cost.
 */
record MirroredNetwork(DenoisingNetwork inner, int flip) implements DenoisingNetwork {

    /** {@code net} itself for flip 0, else the mirrored view of it. */
    static DenoisingNetwork of(DenoisingNetwork net, int flip) {
        return flip == 0 ? net : new MirroredNetwork(net, flip);
    }

    @Override
    public float[] predictX0(int n, int h, int w, float[] xt, float[] cond, float[] t, NoiseFamily family) {
        return predictX0(n, h, w, xt, cond, t, family, null);
    }

    @Override
    public float[] predictX0(int n, int h, int w, float[] xt, float[] cond, float[] t, NoiseFamily family, float[] texture) {
        return flip(inner.predictX0(n, h, w, flip(xt, n, h, w, 1, flip), flip(cond, n, h, w, inner.conditionChannels(), flip),
                t, family, texture), n, h, w, 1, flip);
    }

    @Override
    public boolean takesTexture() {
        return inner.takesTexture();
    }

    @Override
    public int conditionChannels() {
        return inner.conditionChannels();
    }

    @Override
    public int sizeMultiple() {
        return inner.sizeMultiple();
    }

    @Override
    public String device() {
        return inner.device();
    }

    @Override
    public void close() {
        inner.close();
    }

    /**
     * Each of n images of h x w x c values (channels last) mirrored: flip 1 left-right, 2 up-down, 3 both; flip 0
     * returns {@code a} itself, any other a new array. Every flip is its own inverse.
     */
    static float[] flip(float[] a, int n, int h, int w, int c, int flip) {
        if (flip == 0) return a;
        boolean lr = (flip & 1) != 0, ud = (flip & 2) != 0;
        int m = h * w;
        float[] out = new float[a.length];
        for (int j = 0; j < n; j++) {
            int base = j * m * c;
            for (int y = 0; y < h; y++) {
                int sy = ud ? h - 1 - y : y;
                for (int x = 0; x < w; x++) {
                    int sx = lr ? w - 1 - x : x;
                    System.arraycopy(a, base + (sy * w + sx) * c, out, base + (y * w + x) * c, c);
                }
            }
        }
        return out;
    }
}
