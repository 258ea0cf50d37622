package org.diffdenoise.diffusion;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.model.ModelSignature;
import org.diffdenoise.model.NoiseTexture;
import org.diffdenoise.noise.NoiseFieldEstimator;
import org.diffdenoise.noise.NoiseModel;
import org.junit.jupiter.api.Test;

/**
 * Each slice's measured noise texture reaches the network with that slice's tiles (white noise: near zero; blurred
 * noise: correlated), MR gets the white texture, and a sigma the user gives means white noise.
 */
class TextureConditioningTest {

    /**
     * Returns the noisy input as x0 and records the texture of every batch item (a call without the texture records
     * nothing, so a sampler that dropped it fails the counts).
     */
    static final class TextureRecorder extends FakeNetworks.Fake {
        final boolean takes;
        final List<float[]> items = new ArrayList<>();
        int callsWithTexture;

        TextureRecorder(boolean takes) {
            super(8);
            this.takes = takes;
        }

        @Override
        float x0(float xt, float[] cond, int pixel) {
            return cond[pixel * 4];
        }

        @Override
        public float[] predictX0(int n, int h, int w, float[] xt, float[] cond, float[] t, NoiseFamily family, float[] texture) {
            int tc = ModelSignature.TEXTURE_CHANNELS;
            if (texture != null) {
                callsWithTexture++;
                for (int i = 0; i < n; i++) items.add(java.util.Arrays.copyOfRange(texture, i * tc, (i + 1) * tc));
            }
            return predictX0(n, h, w, xt, cond, t, family);
        }

        @Override
        public boolean takesTexture() {
            return takes;
        }
    }

    // the same CT-like slice twice: white Gaussian noise, then Gaussian noise blurred by a 3x3 box (correlated, as a
    // smooth reconstruction kernel makes it) at about the same per-pixel level
    static float[][] whiteThenCorrelated(int n) {
        float[][] c = new float[1][];
        DiffusionDenoiserTest.noisyStack(n, n, 1, 3, c);
        SplittableRandom rng = new SplittableRandom(1);
        float[] white = c[0].clone(), correlated = c[0].clone(), z = new float[n * n];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) NoiseModel.gaussian(rng);
            white[i] += 30 * (float) NoiseModel.gaussian(rng);
        }
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                double s = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) s += z[Math.floorMod(y + dy, n) * n + Math.floorMod(x + dx, n)];
                correlated[y * n + x] += (float) (30 * s / 3);
            }
        return new float[][] {white, correlated};
    }

    static List<float[]> texturesSeen(float[][] slices, int n, NoiseFamily family, double sigma) {
        TextureRecorder net = new TextureRecorder(true);
        // one tile per slice, one tile per batch: the calls come slice by slice
        DenoiseSettings s = new DenoiseSettings(1, 1, 42, sigma, 128, 16, 1);
        new DiffusionDenoiser(net, DiffusionDenoiserTest.SCHEDULE, DiffusionDenoiserTest.DESC)
                .denoise(DiffusionDenoiserTest.stack(slices, n, n), family, s, ProgressListener.NONE, CancelToken.none());
        assertEquals(slices.length, net.items.size());
        return net.items;
    }

    @Test
    void eachSliceTextureReachesItsTiles() {
        int n = 128;
        float[][] slices = whiteThenCorrelated(n);
        List<float[]> seen = texturesSeen(slices, n, NoiseFamily.GAUSSIAN_CT, Double.NaN);
        for (int z = 0; z < 2; z++)
            assertArrayEquals(NoiseTexture.of(NoiseFieldEstimator.estimate(slices[z].clone(), n, n, NoiseFamily.GAUSSIAN_CT),
                    NoiseFamily.GAUSSIAN_CT), seen.get(z), 1e-6f, "slice " + z);
        float[] white = seen.get(0), correlated = seen.get(1);
        assertTrue(Math.abs(white[0]) < 0.5, "white noise reads as white: " + white[0]);
        assertTrue(correlated[0] > 1 && correlated[1] < -0.5, "blurred noise reads as correlated: "
                + correlated[0] + ", " + correlated[1]);
        // MR magnitude noise is given as white (NoiseTexture.FAMILIES)
        for (float[] t : texturesSeen(slices, n, NoiseFamily.RICIAN_MR, Double.NaN)) assertArrayEquals(NoiseTexture.white(), t);
    }

    @Test
    void aGivenSigmaMeansWhiteNoise() {
        int n = 128;
        for (float[] t : texturesSeen(whiteThenCorrelated(n), n, NoiseFamily.GAUSSIAN_CT, 30))
            assertArrayEquals(NoiseTexture.white(), t);
    }
}
