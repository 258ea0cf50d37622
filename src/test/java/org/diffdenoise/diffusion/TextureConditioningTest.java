package org.diffdenoise.diffusion;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.model.DenoisingNetwork;
import org.diffdenoise.model.ModelSignature;
import org.diffdenoise.model.NoiseTexture;
import org.diffdenoise.noise.MrKspaceNoise;
import org.diffdenoise.noise.NoiseFieldEstimator;
import org.diffdenoise.noise.RicianNoise;
import org.junit.jupiter.api.Test;

/**
 * Each slice's measured noise texture reaches the network with that slice's tiles (white noise: near zero; zero-filled
 * MR: correlated), and a sigma the user gives means white noise.
 */
class TextureConditioningTest {

    /** Returns the noisy input as x0 and records the texture of every batch item. */
    static final class TextureRecorder implements DenoisingNetwork {
        final boolean takes;
        final List<float[]> items = new ArrayList<>();
        int callsWithTexture;

        TextureRecorder(boolean takes) {
            this.takes = takes;
        }

        @Override
        public float[] predictX0(int n, int h, int w, float[] xt, float[] cond, float[] t, NoiseFamily family) {
            throw new AssertionError("the sampler always passes the texture");
        }

        @Override
        public float[] predictX0(int n, int h, int w, float[] xt, float[] cond, float[] t, NoiseFamily family, float[] texture) {
            int tc = ModelSignature.TEXTURE_CHANNELS, m = h * w;
            if (texture != null) {
                callsWithTexture++;
                for (int i = 0; i < n; i++) items.add(java.util.Arrays.copyOfRange(texture, i * tc, (i + 1) * tc));
            }
            float[] out = new float[n * m];
            for (int i = 0; i < n * m; i++) out[i] = cond[i * 4];
            return out;
        }

        @Override
        public boolean takesTexture() {
            return takes;
        }

        @Override
        public int conditionChannels() {
            return 4;
        }

        @Override
        public int sizeMultiple() {
            return 8;
        }

        @Override
        public String device() {
            return "test";
        }

        @Override
        public void close() {
        }
    }

    // the same MR-like slice twice: white Rician noise, then k-space noise zero-filled 2x
    static float[][] whiteThenZeroFilled(int n) {
        float[][] c = new float[1][];
        DiffusionDenoiserTest.noisyStack(n, n, 1, 3, c);
        float[] white = new RicianNoise(30).degrade(c[0], new SplittableRandom(1));
        float[] zeroFilled = new MrKspaceNoise(30, 2, 1, 1).simulate(c[0], n, n, new SplittableRandom(2)).noisy();
        return new float[][] {white, zeroFilled};
    }

    @Test
    void eachSliceTextureReachesItsTiles() {
        int n = 128;
        float[][] slices = whiteThenZeroFilled(n);
        TextureRecorder net = new TextureRecorder(true);
        // one tile per slice, one tile per batch: the calls come slice by slice
        DenoiseSettings s = new DenoiseSettings(1, 1, 42, Double.NaN, 128, 16, 1);
        new DiffusionDenoiser(net, DiffusionDenoiserTest.SCHEDULE, DiffusionDenoiserTest.DESC)
                .denoise(DiffusionDenoiserTest.stack(slices, n, n), NoiseFamily.RICIAN_MR, s, ProgressListener.NONE, CancelToken.none());
        assertEquals(2, net.items.size());
        for (int z = 0; z < 2; z++)
            assertArrayEquals(NoiseTexture.of(NoiseFieldEstimator.estimate(slices[z].clone(), n, n, NoiseFamily.RICIAN_MR)),
                    net.items.get(z), 1e-6f, "slice " + z);
        float[] white = net.items.get(0), zeroFilled = net.items.get(1);
        assertTrue(Math.abs(white[0]) < 0.5, "white noise reads as white: " + white[0]);
        assertTrue(zeroFilled[0] > 1.5 && zeroFilled[1] < -0.5, "zero-filled noise reads as correlated: "
                + zeroFilled[0] + ", " + zeroFilled[1]);
    }

    @Test
    void aGivenSigmaMeansWhiteNoise() {
        int n = 128;
        TextureRecorder net = new TextureRecorder(true);
        DenoiseSettings s = new DenoiseSettings(1, 1, 42, 30, 128, 16, 1);
        new DiffusionDenoiser(net, DiffusionDenoiserTest.SCHEDULE, DiffusionDenoiserTest.DESC)
                .denoise(DiffusionDenoiserTest.stack(whiteThenZeroFilled(n), n, n), NoiseFamily.RICIAN_MR, s,
                        ProgressListener.NONE, CancelToken.none());
        assertEquals(2, net.items.size());
        for (float[] t : net.items) assertArrayEquals(NoiseTexture.white(), t);
    }
}
