package org.diffdenoise.diffusion;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.CancelledException;
import org.diffdenoise.api.NoiseFamily;
import org.junit.jupiter.api.Test;

class DiffusionSamplerTest {

    static final NoiseSchedule SCHEDULE = NoiseSchedule.cosine(1000);

    static float[] cond(int n, int m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] c = new float[n * m * 4];
        for (int i = 0; i < c.length; i++) c[i] = (float) r.nextDouble();
        return c;
    }

    @Test
    void perItemTimestepsAndPassThrough() {
        FakeNetworks.Fake net = FakeNetworks.identity(4);
        int m = 16;
        float[] c = cond(3, m, 1);
        float[] out = new DiffusionSampler(net, SCHEDULE).sample(3, 4, 4, c, new int[] {100, 0, 2}, 4, 0, new long[3],
                NoiseFamily.GAUSSIAN_CT, CancelToken.none(), null);
        for (int j = 0; j < 3; j++)
            for (int p = 0; p < m; p++) assertEquals(c[(j * m + p) * 4], out[j * m + p], "identity on y, item " + j);
        // item 0: 100, 75, 50, 25 (4 calls); item 2: t* = 2 < k gives 2, 1; item 1 (t* = 0) is never evaluated
        assertEquals(4, net.calls.size());
        assertArrayEquals(new float[] {0.1f, 0.002f}, net.times.get(0));
        assertArrayEquals(new float[] {0.075f, 0.001f}, net.times.get(1));
        assertArrayEquals(new float[] {0.05f}, net.times.get(2));
        assertArrayEquals(new float[] {0.025f}, net.times.get(3));
        assertEquals(1, net.calls.get(3)[0]);
    }

    @Test
    void stochasticSamplingIsSeededPerItem() {
        int m = 64;
        float[] c = cond(2, m, 2);
        DiffusionSampler s = new DiffusionSampler(FakeNetworks.stateDependent(8), SCHEDULE);
        float[] a = s.sample(2, 8, 8, c, new int[] {300, 300}, 5, 1.0, new long[] {11, 12}, NoiseFamily.RICIAN_MR, CancelToken.none(), null);
        float[] b = s.sample(2, 8, 8, c, new int[] {300, 300}, 5, 1.0, new long[] {11, 12}, NoiseFamily.RICIAN_MR, CancelToken.none(), null);
        float[] d = s.sample(2, 8, 8, c, new int[] {300, 300}, 5, 1.0, new long[] {13, 12}, NoiseFamily.RICIAN_MR, CancelToken.none(), null);
        assertArrayEquals(a, b);
        boolean differs = false;
        for (int p = 0; p < m; p++) differs |= a[p] != d[p];
        assertTrue(differs, "another seed, another sample");
        for (int p = 0; p < m; p++) assertEquals(a[m + p], d[m + p], "the other item keeps its own noise");
        // the second item alone gives the same result as in the batch
        float[] alone = s.sample(1, 8, 8, java.util.Arrays.copyOfRange(c, m * 4, 2 * m * 4), new int[] {300}, 5, 1.0, new long[] {12},
                NoiseFamily.RICIAN_MR, CancelToken.none(), null);
        assertArrayEquals(java.util.Arrays.copyOfRange(a, m, 2 * m), alone);
        // deterministic DDIM with this network: x0 = (y + x_t) / 2 at every step, checked by hand for one pixel
        float[] det = s.sample(1, 8, 8, java.util.Arrays.copyOf(c, m * 4), new int[] {300}, 1, 0, new long[1], NoiseFamily.RICIAN_MR,
                CancelToken.none(), null);
        double y = c[0], xt = Math.sqrt(SCHEDULE.alphaBar(300)) * y;
        assertEquals(0.5 * (y + xt), det[0], 1e-6);
    }

    @Test
    void cancelBetweenSteps() {
        CancelToken cancel = new CancelToken();
        FakeNetworks.Fake net = FakeNetworks.identity(4);
        net.onCall = k -> cancel.cancel();
        assertThrows(CancelledException.class, () -> new DiffusionSampler(net, SCHEDULE).sample(1, 4, 4, cond(1, 16, 3), new int[] {500}, 10, 0,
                new long[1], NoiseFamily.GAUSSIAN_CT, cancel, null));
        assertEquals(1, net.calls.size());
    }
}
