package org.diffdenoise.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The air's scale ratio: white noise reads 1, zero-filled k-space noise well above, whatever the anatomy and level. */
class AirCorrelationTest {

    // a head: textured tissue inside an ellipse, air (0) around it
    static float[] head(int n) {
        float[] v = new float[n * n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                double r = Math.hypot(x - n / 2.0, (y - n / 2.0) * 1.2);
                v[y * n + x] = r < 0.38 * n ? (float) (600 + 300 * Math.cos(x / 2.5) * Math.sin(y / 3.0)) : 0;
            }
        return v;
    }

    @Test
    void whiteNoiseReadsOneAndZeroFilledNoiseFarAboveAtEveryLevel() {
        int n = 192;
        float[] head = head(n);
        for (double sigma : new double[] {6, 20, 60}) {
            double white = AirCorrelation.of(new MrKspaceNoise(sigma, 1, 1, 1).simulate(head, n, n, new SplittableRandom(1)).noisy(), n, n).orElseThrow();
            double zf15 = AirCorrelation.of(new MrKspaceNoise(sigma, 1.5, 1, 1).simulate(head, n, n, new SplittableRandom(1)).noisy(), n, n).orElseThrow();
            double zf2 = AirCorrelation.of(new MrKspaceNoise(sigma, 2, 1, 1).simulate(head, n, n, new SplittableRandom(1)).noisy(), n, n).orElseThrow();
            assertEquals(1, white, 0.15, "white, sigma " + sigma);
            assertTrue(zf15 > white + 0.2 && zf2 > 2 && zf2 > zf15, "sigma " + sigma + ": zero-filled 1.5x " + zf15 + ", 2x " + zf2);
        }
    }

    @Test
    void noReadingWithoutAir() {
        int n = 128;
        float[] tissue = new float[n * n];
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < tissue.length; i++) tissue[i] = (float) (500 + 20 * rng.nextGaussian());
        assertTrue(AirCorrelation.of(tissue, n, n).isEmpty(), "no air");
        float[] masked = head(n); // noise-free: the air is exact zeros, masked
        assertTrue(AirCorrelation.of(masked, n, n).isEmpty(), "masked air");
    }
}
