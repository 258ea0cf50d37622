package org.diffdenoise.diffusion;

import org.diffdenoise.model.NoiseSchedule;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TimestepMatcherTest {

    private final TimestepMatcher matcher = new TimestepMatcher(NoiseSchedule.cosine(1000));

    @Test
    void picksSmallestStepWhoseRatioReachesSigma() {
        // noiseToSignal of the cosine schedule (T=1000, s=0.008), computed independently in Python:
        // t=2: 0.0093505, t=3: 0.0117660; t=25: 0.0499336, t=26: 0.0515426; t=56: 0.0992777, t=57: 0.1008639;
        // t=118: 0.1985058, t=119: 0.2001294; t=496: 0.9998446, t=497: 1.0029661
        assertEquals(3, matcher.timestepFor(0.01));
        assertEquals(26, matcher.timestepFor(0.05));
        assertEquals(57, matcher.timestepFor(0.1));
        assertEquals(119, matcher.timestepFor(0.2));
        assertEquals(497, matcher.timestepFor(1.0));
        // exactly on a grid value: that step itself
        assertEquals(2, matcher.timestepFor(NoiseSchedule.cosine(1000).noiseToSignal(2)));
    }

    @Test
    void edgeCases() {
        assertEquals(0, matcher.timestepFor(0));
        assertEquals(0, matcher.timestepFor(-1));
        assertEquals(1000, matcher.timestepFor(1e30));
        assertThrows(IllegalArgumentException.class, () -> matcher.timestepFor(Double.NaN));
    }

    @Test
    void linearScheduleIsMonotoneToo() {
        TimestepMatcher lin = new TimestepMatcher(new NoiseSchedule("linear", 200, 0, 1e-4, 0.02));
        int prev = 0;
        for (double s = 0.001; s < 5; s *= 1.3) {
            int t = lin.timestepFor(s);
            assertTrue(t >= prev);
            if (s < lin.faintest()) {
                assertEquals(0, t, "noise fainter than the first step over " + TimestepMatcher.BELOW_FIRST_STEP + " is left");
                continue;
            }
            assertTrue(lin.schedule().noiseToSignal(t) >= s || t == 200);
            if (t > 1) assertTrue(lin.schedule().noiseToSignal(t - 1) < s);
            prev = t;
        }
    }

    /**
     * Noise fainter than a third of the first step's level is left as it is; up to the first step's level it is
     * denoised at the first step. Before, any positive sigma got step 1 at least: a real head CT with 3 HU of noise in a
     * range of 3000 HU was denoised as if its noise were 20 HU and lost its vessels.
     */
    @Test
    void noiseFainterThanAThirdOfTheFirstStepIsLeft() {
        double first = matcher.schedule().noiseToSignal(1);
        assertEquals(first / TimestepMatcher.BELOW_FIRST_STEP, matcher.faintest(), 1e-15);
        assertEquals(0, matcher.timestepFor(1e-9));
        assertEquals(0, matcher.timestepFor(0.99 * matcher.faintest()));
        assertEquals(1, matcher.timestepFor(1.01 * matcher.faintest()));
        assertEquals(1, matcher.timestepFor(first));
    }

    @Test
    void representativeSigmaIsRms() {
        assertEquals(0.05, TimestepMatcher.representativeSigma(new float[] {0.05f, 0.05f, Float.NaN}), 1e-8);
        assertEquals(Math.sqrt((9 + 16) / 2.0), TimestepMatcher.representativeSigma(new float[] {3, 4}), 1e-6);
    }

    @Test
    void belowTheFirstStepOnlyItsShareOfTheStepIsKept() {
        double first = NoiseSchedule.cosine(1000).noiseToSignal(1);
        assertEquals(0.5, matcher.firstStepShare(0.5 * first), 1e-12);
        assertEquals(1, matcher.firstStepShare(first));
        assertEquals(1, matcher.firstStepShare(3 * first));
        SliceNoise half = slice(0.5 * first), atStep2 = slice(NoiseSchedule.cosine(1000).noiseToSignal(2)), faint = slice(0.2 * first);
        assertEquals(1, half.tStar());
        assertEquals(0, faint.tStar());
        FirstStepBlend blend = FirstStepBlend.of(new SliceNoise[] {half, atStep2, faint}, matcher);
        assertArrayEquals(new double[] {0.5, 1, 1}, blend.share(), 1e-12);
        assertEquals("1 of 3 slice(s) below the model's first diffusion step: 50 % of that step's change kept (their noise over the step's level)",
                blend.note());
        assertNull(FirstStepBlend.of(new SliceNoise[] {atStep2, faint}, matcher).note());
        float[] denoised = {10, 20, Float.NaN}, input = {20, 20, Float.NaN};
        blend.apply(denoised, input, 0);
        assertEquals(15, denoised[0], 1e-6, "half of the step's change");
        assertEquals(20, denoised[1]);
        float[] other = {10};
        blend.apply(other, new float[] {20}, 1);
        assertEquals(10, other[0], "a slice at a later step is untouched");
    }

    private SliceNoise slice(double sigma) {
        org.diffdenoise.noise.NoiseEstimate e = new org.diffdenoise.noise.NoiseEstimate(sigma, 0, sigma, "given");
        return new SliceNoise(e, e, matcher.timestepFor(sigma), null, 1, new float[0]);
    }
}
