package org.diffdenoise.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.noise.CtProjectionNoise;
import org.diffdenoise.noise.FbpKernel;
import org.diffdenoise.noise.NoiseField;
import org.diffdenoise.noise.NoiseFieldEstimator;
import org.diffdenoise.noise.NoiseRealization;
import org.junit.jupiter.api.Test;

/** Which texture numbers each family is given, and how a narrower network's numbers are cut from the whole texture. */
class NoiseTextureTest {

    @Test
    void theAxisRatioIsGivenForCtOnlyAndMrIsWhite() {
        int n = 256;
        float[] disk = new float[n * n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                double r = Math.hypot(x - n / 2.0, y - n / 2.0);
                disk[y * n + x] = r < 0.45 * n ? 0 : -1000; // water in air, HU
            }
        NoiseRealization r = new CtProjectionNoise(FbpKernel.RAMP, 1, CtProjectionNoise.ELECTRONIC_NOISE, 1.0, 1, 0, 0)
                .simulate(disk, n, n, 30, new SplittableRandom(4));
        NoiseField field = NoiseFieldEstimator.estimate(r.noisy(), n, n, NoiseFamily.GAUSSIAN_CT);
        assertTrue(field.axisRatio() > 1.3, "ramp-kernel noise: " + field.axisRatio());
        float[] ct = NoiseTexture.of(field, NoiseFamily.GAUSSIAN_CT), xray = NoiseTexture.of(field, NoiseFamily.POISSON_GAUSSIAN_XRAY);
        assertEquals(Math.log(field.axisRatio()), ct[2], 1e-6);
        assertEquals(0f, xray[2]);
        assertEquals(ct[0], xray[0]);
        assertEquals(ct[1], xray[1]);
        assertArrayEquals(NoiseTexture.white(), NoiseTexture.of(field, NoiseFamily.RICIAN_MR));
    }

    @Test
    void aNarrowerNetworkGetsTheFirstNumbersOfEachItem() {
        float[] texture = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertArrayEquals(new float[] {4, 5, 7, 8}, NoiseTexture.firstChannels(texture, 1, 2, 2));
        assertArrayEquals(new float[] {1, 2, 3}, NoiseTexture.firstChannels(texture, 0, 1, 3));
        assertArrayEquals(new float[4], NoiseTexture.firstChannels(null, 0, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> NoiseTexture.firstChannels(texture, 0, 1, NoiseTexture.CHANNELS + 1));
    }
}
