package org.diffdenoise.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.noise.CtProjectionNoise;
import org.diffdenoise.noise.FbpKernel;
import org.diffdenoise.noise.MrKspaceNoise;
import org.diffdenoise.noise.NoiseField;
import org.diffdenoise.noise.NoiseFieldEstimator;
import org.diffdenoise.noise.NoiseRealization;
import org.junit.jupiter.api.Test;

/** Which texture numbers each family is given, and how a narrower network's numbers are cut from the whole texture. */
class NoiseTextureTest {

    @Test
    void theAxisRatioIsGivenForCtOnly() {
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
        float[] ct = NoiseTexture.of(field, NoiseFamily.GAUSSIAN_CT, r.noisy(), n, n), xray = NoiseTexture.of(field, NoiseFamily.POISSON_GAUSSIAN_XRAY, r.noisy(), n, n);
        assertEquals(Math.log(field.axisRatio()), ct[2], 1e-6);
        assertEquals(0f, xray[2]);
        assertEquals(ct[0], xray[0]);
        assertEquals(ct[1], xray[1]);
        assertArrayEquals(NoiseTexture.white(), NoiseTexture.of(field, NoiseFamily.RICIAN_MR, r.noisy(), n, n), "MR reads no air here");
    }

    @Test
    void zeroFilledMrGetsNumbersOfItsOwnAndWhiteMrNone() {
        int n = 192;
        float[] head = new float[n * n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                double r = Math.hypot(x - n / 2.0, (y - n / 2.0) * 1.2);
                head[y * n + x] = r < 0.4 * n ? (float) (600 + 300 * Math.cos(x / 9.0) * Math.sin(y / 13.0)) : 0;
            }
        float[] whiteY = new MrKspaceNoise(20, 1, 1, 1).simulate(head, n, n, new SplittableRandom(2)).noisy();
        float[] zeroFilledY = new MrKspaceNoise(20, 2, 1, 1).simulate(head, n, n, new SplittableRandom(2)).noisy();
        NoiseField white = NoiseFieldEstimator.estimate(whiteY, n, n, NoiseFamily.RICIAN_MR);
        NoiseField zeroFilled = NoiseFieldEstimator.estimate(zeroFilledY, n, n, NoiseFamily.RICIAN_MR);
        assertArrayEquals(NoiseTexture.white(), NoiseTexture.of(white, NoiseFamily.RICIAN_MR, whiteY, n, n),
                "white Rician: air ratio " + org.diffdenoise.noise.AirCorrelation.of(whiteY, n, n));
        float[] t = NoiseTexture.of(zeroFilled, NoiseFamily.RICIAN_MR, zeroFilledY, n, n);
        assertArrayEquals(new float[NoiseTexture.MR_FIRST], java.util.Arrays.copyOf(t, NoiseTexture.MR_FIRST), "CT's and X-ray's numbers stay 0");
        double air = org.diffdenoise.noise.AirCorrelation.of(zeroFilledY, n, n).orElseThrow();
        assertEquals(Math.log(air), t[NoiseTexture.MR_FIRST], 1e-6, "zero-filled 2x is whole: air ratio " + air);
        // a network with the first three numbers sees MR as white, as before MR had numbers of its own
        assertArrayEquals(new float[3], NoiseTexture.firstChannels(t, 0, 1, 3));
        assertFalse(NoiseTexture.readsTexture(t, 3));
        assertTrue(NoiseTexture.readsTexture(t, NoiseTexture.CHANNELS));
        assertFalse(NoiseTexture.readsTexture(NoiseTexture.of(white, NoiseFamily.RICIAN_MR, whiteY, n, n), NoiseTexture.CHANNELS));
        float[] ct = NoiseTexture.of(white, NoiseFamily.GAUSSIAN_CT, whiteY, n, n);
        assertTrue(NoiseTexture.readsTexture(ct, 2), "CT reads as textured, even white: " + java.util.Arrays.toString(ct));
        assertFalse(NoiseTexture.readsTexture(ct, 0));
    }

    @Test
    void mrNumbersFadeInBetweenWhiteAndZeroFilled() {
        assertEquals(0, NoiseTexture.mrWeight(NoiseTexture.MR_WHITE_UP_TO), 0);
        assertEquals(0, NoiseTexture.mrWeight(1.1), 0);
        assertEquals(0, NoiseTexture.mrWeight(Double.NaN), 0);
        assertEquals(1, NoiseTexture.mrWeight(NoiseTexture.MR_CORRELATED_FROM), 1e-12);
        assertEquals(1, NoiseTexture.mrWeight(18), 0);
        double mid = Math.sqrt(NoiseTexture.MR_WHITE_UP_TO * NoiseTexture.MR_CORRELATED_FROM);
        assertEquals(0.5, NoiseTexture.mrWeight(mid), 1e-9);
    }

    @Test
    void aNarrowerNetworkGetsTheFirstNumbersOfEachItem() {
        int c = NoiseTexture.CHANNELS;
        float[] texture = new float[3 * c];
        for (int i = 0; i < texture.length; i++) texture[i] = i + 1;
        assertArrayEquals(new float[] {c + 1, c + 2, 2 * c + 1, 2 * c + 2}, NoiseTexture.firstChannels(texture, 1, 2, 2));
        assertArrayEquals(new float[] {1, 2, 3}, NoiseTexture.firstChannels(texture, 0, 1, 3));
        assertArrayEquals(new float[4], NoiseTexture.firstChannels(null, 0, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> NoiseTexture.firstChannels(texture, 0, 1, NoiseTexture.CHANNELS + 1));
    }
}
