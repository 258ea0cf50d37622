package org.diffdenoise.diffusion;

import org.diffdenoise.model.NoiseSchedule;

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
    void takesTheStepsOfTheGivenScheduler() {
        // a scheduler that always halves t* once, whatever the number of steps asked for
        DdimScheduler ddim = new DdimScheduler(SCHEDULE);
        Scheduler halving = new Scheduler() {
            @Override
            public NoiseSchedule schedule() {
                return SCHEDULE;
            }

            @Override
            public int[] sequence(int tStar, int steps) {
                return tStar == 0 ? new int[] {0} : new int[] {tStar, tStar / 2, 0};
            }

            @Override
            public void step(float[] xt, float[] x0, int t, int tNext, double eta, float[] z, float[] out) {
                ddim.step(xt, x0, t, tNext, eta, z, out);
            }
        };
        int h = 8, w = 8;
        float[] c = cond(1, h * w, 4);
        FakeNetworks.Fake net = FakeNetworks.stateDependent(8);
        DiffusionSampler sampler = new DiffusionSampler(net, halving, true);
        float[] out = sampler.sample(new SamplingBatch(1, h, w, c, new int[] {300}, 10, 0, new long[1], 0, NoiseFamily.RICIAN_MR, null),
                CancelToken.none(), null);
        assertEquals(2, net.calls.size(), "one network evaluation per step of the scheduler, not per step asked for");
        assertEquals(300f / SCHEDULE.timesteps(), net.times.get(0)[0]);
        assertEquals(150f / SCHEDULE.timesteps(), net.times.get(1)[0]);
        assertEquals(2, sampler.evaluations(300, 10));
        // the same two steps through the default DDIM scheduler (k = 2 gives 300, 150, 0): the same result
        float[] ddimOut = new DiffusionSampler(FakeNetworks.stateDependent(8), SCHEDULE, true)
                .sample(1, h, w, c, new int[] {300}, 2, 0, new long[1], NoiseFamily.RICIAN_MR, CancelToken.none(), null);
        assertArrayEquals(ddimOut, out);
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
    void flipOffsetShiftsTheOrientationsOfTheSteps() {
        int h = 8, w = 16, m = h * w;
        float[] c = cond(1, m, 2);
        DiffusionSampler s = new DiffusionSampler(FakeNetworks.positionDependent(8, w), SCHEDULE, true);
        float[][] runs = new float[5][];
        for (int off = 0; off < 5; off++)
            runs[off] = s.sample(1, h, w, c, new int[] {300}, 1, 0, new long[1], off, NoiseFamily.RICIAN_MR, CancelToken.none(), null);
        // one step: offset 0 sees the image as it is, offset 1 mirrored left-right, so the column term runs the other way
        assertTrue(runs[0][w - 1] - runs[0][0] > runs[1][w - 1] - runs[1][0] + 0.05f);
        assertArrayEquals(runs[0], runs[4], "offsets are taken mod 4");
        // offset 2 mirrors up-down only: a network that depends on the column alone cannot tell
        assertArrayEquals(runs[0], runs[2]);
    }

    @Test
    void flipRoundTripsForEveryMirror() {
        int n = 2, h = 3, w = 5, c = 4;
        float[] a = new float[n * h * w * c];
        for (int i = 0; i < a.length; i++) a[i] = i;
        for (int f = 0; f < 4; f++) {
            float[] b = MirroredNetwork.flip(a.clone(), n, h, w, c, f);
            if (f == 1) assertEquals(a[(w - 1) * c + 2], b[2], "left-right moves the last column first, channels intact");
            if (f == 2) assertEquals(a[((h - 1) * w) * c + 1], b[1], "up-down moves the last row first");
            if (f == 3) assertEquals(a[(h * w - 1) * c + n * h * w * c / 2], b[n * h * w * c / 2], "both, per batch item");
            b = MirroredNetwork.flip(b, n, h, w, c, f);
            assertArrayEquals(a, b, "mirror " + f + " twice is the identity");
        }
    }

    @Test
    void mirroringPerStepChangesNothingForAPointwiseNetworkButSeesOrientation() {
        int h = 8, w = 16, m = h * w;
        float[] c = cond(1, m, 2);
        int[] tStar = {300};
        // a pointwise network commutes with mirroring: the mirrored run is bit-identical
        float[] plain = new DiffusionSampler(FakeNetworks.stateDependent(8), SCHEDULE, false)
                .sample(1, h, w, c, tStar, 4, 0, new long[1], NoiseFamily.RICIAN_MR, CancelToken.none(), null);
        float[] mirrored = new DiffusionSampler(FakeNetworks.stateDependent(8), SCHEDULE, true)
                .sample(1, h, w, c, tStar, 4, 0, new long[1], NoiseFamily.RICIAN_MR, CancelToken.none(), null);
        assertArrayEquals(plain, mirrored);
        // a network that depends on the column sees the image left-right mirrored at steps 2 and 4
        float[] p2 = new DiffusionSampler(FakeNetworks.positionDependent(8, w), SCHEDULE, false)
                .sample(1, h, w, c, tStar, 4, 0, new long[1], NoiseFamily.RICIAN_MR, CancelToken.none(), null);
        float[] m2 = new DiffusionSampler(FakeNetworks.positionDependent(8, w), SCHEDULE, true)
                .sample(1, h, w, c, tStar, 4, 0, new long[1], NoiseFamily.RICIAN_MR, CancelToken.none(), null);
        // the last step (index 3, left-right and up-down) adds 0.01 * (w - 1 - x) instead of 0.01 * x
        float dPlain = p2[w - 1] - p2[0] - (plain[w - 1] - plain[0]);
        float dMirrored = m2[w - 1] - m2[0] - (plain[w - 1] - plain[0]);
        assertTrue(dPlain > 0.05f, "unmirrored: the column term grows to the right: " + dPlain);
        assertTrue(dMirrored < dPlain - 0.05f, "mirrored steps add it the other way: " + dMirrored + " vs " + dPlain);
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
