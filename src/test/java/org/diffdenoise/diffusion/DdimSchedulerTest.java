package org.diffdenoise.diffusion;

import org.diffdenoise.model.NoiseSchedule;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class DdimSchedulerTest {

    private final DdimScheduler ddim = new DdimScheduler(NoiseSchedule.cosine(1000));

    @Test
    void timestepSequences() {
        assertArrayEquals(new int[] {100, 75, 50, 25, 0}, DdimScheduler.timesteps(100, 4));
        // round(10*3/4)=round(7.5)=8, round(5)=5, round(2.5)=3 (Math.round rounds half up)
        assertArrayEquals(new int[] {10, 8, 5, 3, 0}, DdimScheduler.timesteps(10, 4));
        assertArrayEquals(new int[] {57, 0}, DdimScheduler.timesteps(57, 1));
        // t* < k: duplicates removed, fewer steps: 2*(3..0)/3 = 2, 1.33, 0.67, 0 -> 2, 1, 1, 0
        assertArrayEquals(new int[] {2, 1, 0}, DdimScheduler.timesteps(2, 3));
        assertArrayEquals(new int[] {1, 0}, DdimScheduler.timesteps(1, 50));
        assertArrayEquals(new int[] {0}, DdimScheduler.timesteps(0, 4));
    }

    @Test
    void deterministicStepMatchesHandComputation() {
        // abar_500 = 0.4938435904, abar_250 = 0.8470121613 (cosine, T=1000, computed in Python)
        // eps = (0.3 - sqrt(0.49384359)*0.5)/sqrt(1-0.49384359) = -0.07242..;
        // x_next = sqrt(0.84701216)*0.5 + sqrt(1-0.84701216)*eps = 0.4319242888
        float[] out = new float[1];
        ddim.step(new float[] {0.3f}, new float[] {0.5f}, 500, 250, 0, null, out);
        assertEquals(0.4319242888, out[0], 1e-6);
    }

    @Test
    void stochasticStepMatchesHandComputation() {
        // sigma_eta = sqrt((1-0.84701216)/(1-0.49384359)) * sqrt(1-0.49384359/0.84701216) = 0.3550032142
        assertEquals(0.3550032142, ddim.sigmaEta(500, 250, 1.0), 1e-9);
        assertEquals(0.5 * 0.3550032142, ddim.sigmaEta(500, 250, 0.5), 1e-9);
        // x_next = sqrt(ab_next)*0.5 + sqrt(1-ab_next-0.355^2)*eps + 0.355*0.7 = 0.6968127406
        float[] out = new float[1];
        ddim.step(new float[] {0.3f}, new float[] {0.5f}, 500, 250, 1.0, new float[] {0.7f}, out);
        assertEquals(0.6968127406, out[0], 1e-6);
    }

    @Test
    void lastStepReturnsX0AndConsistentStateIsAFixedPoint() {
        float[] out = new float[2];
        ddim.step(new float[] {9f, -3f}, new float[] {0.25f, 0.75f}, 40, 0, 1.0, new float[] {5f, 5f}, out);
        assertArrayEquals(new float[] {0.25f, 0.75f}, out);
        // x_t built from x0 and eps; deterministic step to t' gives sqrt(ab')x0 + sqrt(1-ab')eps
        NoiseSchedule s = ddim.schedule();
        double x0 = 0.4, eps = -1.2;
        float xt = (float) (Math.sqrt(s.alphaBar(300)) * x0 + Math.sqrt(1 - s.alphaBar(300)) * eps);
        ddim.step(new float[] {xt}, new float[] {(float) x0}, 300, 120, 0, null, out);
        assertEquals(Math.sqrt(s.alphaBar(120)) * x0 + Math.sqrt(1 - s.alphaBar(120)) * eps, out[0], 1e-5);
    }

    @Test
    void rejectsBadArguments() {
        float[] a = new float[1];
        assertThrows(IllegalArgumentException.class, () -> ddim.step(a, a, 10, 10, 0, null, a));
        assertThrows(IllegalArgumentException.class, () -> ddim.step(a, a, 10, 5, 1, null, a));
        assertThrows(IllegalArgumentException.class, () -> DdimScheduler.timesteps(-1, 4));
    }
}
