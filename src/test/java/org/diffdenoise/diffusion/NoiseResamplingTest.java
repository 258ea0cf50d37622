package org.diffdenoise.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The draws of a slice's own noise keep its level and correlation and are independent of the noise where they land. */
class NoiseResamplingTest {

    static final int W = 256, H = 256;

    /** White Gaussian noise (sigma 10) on a smooth ramp, optionally averaged over {@code blur} horizontal neighbours. */
    static float[][] ramp(int blur, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] white = new float[W * H], noise = new float[W * H], y = new float[W * H];
        for (int i = 0; i < white.length; i++) white[i] = (float) (rng.nextGaussian() * 10);
        for (int r = 0; r < H; r++)
            for (int x = 0; x < W; x++) {
                double s = 0;
                for (int k = 0; k < blur; k++) s += white[r * W + Math.min(W - 1, x + k)];
                noise[r * W + x] = (float) (s / Math.sqrt(blur));
                y[r * W + x] = 100 + 0.5f * x + 0.2f * r + noise[r * W + x];
            }
        return new float[][] {y, noise};
    }

    static double lag1(float[] a, int w, int h) {
        double s = 0, s0 = 0;
        for (int r = 0; r < h; r++)
            for (int x = 0; x + 1 < w; x++) {
                s += (double) a[r * w + x] * a[r * w + x + 1];
                s0 += (double) a[r * w + x] * a[r * w + x];
            }
        return s / s0;
    }

    @Test
    void whiteNoiseIsDrawnWhiteAtTheMapsLevelAndIndependentOfTheNoiseBeneath() {
        float[][] yn = ramp(1, 1);
        float[] map = new float[W * H];
        Arrays.fill(map, 10f);
        int c = 128, x0 = 64, y0 = 64;
        float[] a = NoiseResampling.resample(yn[0], map, W, H, x0, y0, c, c, new SplittableRandom(2));
        assertNotNull(a);
        double var = 0, cross = 0, nn = 0;
        for (int yy = 0; yy < c; yy++)
            for (int xx = 0; xx < c; xx++) {
                double n = yn[1][(y0 + yy) * W + x0 + xx], v = a[yy * c + xx];
                var += v * v;
                cross += v * n;
                nn += n * n;
            }
        assertEquals(100, var / (c * c), 5, "the map's level");
        assertTrue(Math.abs(lag1(a, c, c)) < 0.05, "white: " + lag1(a, c, c));
        assertTrue(Math.abs(cross / Math.sqrt(var * nn)) < 0.05, "independent of the noise beneath: " + cross / Math.sqrt(var * nn));
    }

    @Test
    void correlatedNoiseKeepsItsCorrelation() {
        float[][] yn = ramp(3, 3); // lag-1 correlation 2/3
        float[] map = new float[W * H];
        Arrays.fill(map, 10f);
        float[] a = NoiseResampling.resample(yn[0], map, W, H, 64, 64, 128, 128, new SplittableRandom(4));
        assertNotNull(a);
        assertEquals(lag1(yn[1], W, H), lag1(a, 128, 128), 0.08);
    }

    @Test
    void aSliceWithoutNoiseGivesNoDraw() {
        float[] y = new float[W * H], map = new float[W * H];
        Arrays.fill(y, 7f);
        Arrays.fill(map, 1f);
        assertNull(NoiseResampling.resample(y, map, W, H, 64, 64, 128, 128, new SplittableRandom(5)));
    }
}
