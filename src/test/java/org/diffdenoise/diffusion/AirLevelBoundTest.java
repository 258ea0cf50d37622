package org.diffdenoise.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import net.imglib2.img.array.ArrayImgs;

import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.noise.MultiCoilBackground;
import org.diffdenoise.noise.NoiseEstimate;
import org.junit.jupiter.api.Test;

/** The MR level as its air sets or bounds it, slice readings given directly. */
class AirLevelBoundTest {

    private static final TimestepMatcher MATCHER = new TimestepMatcher(NoiseSchedule.cosine(1000));
    private static final double AIR = 10;

    // a slice whose estimate is sigma (modality units; normalized = sigma / 1000) and whose noise reads `correlation`
    private static SliceNoise slice(double sigma, double correlation) {
        NoiseEstimate n = new NoiseEstimate(sigma / 1000, 0, sigma / 1000, "test");
        return new SliceNoise(new NoiseEstimate(sigma, 0, sigma, "test"), n, MATCHER.timestepFor(n.sigma()), null, correlation, new float[0]);
    }

    private static AirLevelBound.Applied apply(MultiCoilBackground.SeriesBackground air, DenoiseSettings settings, SliceNoise... noise) {
        DenoiseRequest request = DenoiseRequest.of(ArrayImgs.floats(8, 8, noise.length), NoiseFamily.RICIAN_MR, settings, null, null);
        return AirLevelBound.apply(request, noise, air, MATCHER);
    }

    private static MultiCoilBackground.SeriesBackground air(double coils) {
        return new MultiCoilBackground.SeriesBackground(coils > 1 ? Optional.of(new MultiCoilBackground.Reading(coils, AIR, 1, 2))
                : Optional.empty(), Optional.of(AIR));
    }

    @Test
    void aSeriesWhoseNoiseReadsCorrelatedIsConditionedAtAFixedMultipleOfItsAir() {
        // the median reading is correlated (the gate is 3): every slice with noise gets 1.4 times the air, whatever its own
        AirLevelBound.Applied a = apply(air(1), DenoiseSettings.defaults(), slice(25, 8), slice(12, 2), slice(40, 5));
        for (SliceNoise n : a.noise()) assertEquals(AirLevelBound.CORRELATED_FACTOR * AIR, n.modality().sigma(), 1e-9);
        assertTrue(a.note().startsWith("noise level set from the air: the series' noise reads as spatially correlated"), a.note());
        // several coils with their floor removed: more the more coils (1.6 for 4, 1.8 for 8 and 16, 2.4 from 32 on)
        assertEquals(16, apply(air(4), DenoiseSettings.defaults(), slice(25, 8)).noise()[0].modality().sigma(), 1e-9);
        assertEquals(18, apply(air(16), DenoiseSettings.defaults(), slice(25, 8)).noise()[0].modality().sigma(), 1e-9);
        assertEquals(21, apply(air(Math.sqrt(16 * 32)), DenoiseSettings.defaults(), slice(25, 8)).noise()[0].modality().sigma(), 1e-9);
        assertEquals(24, apply(air(128), DenoiseSettings.defaults(), slice(25, 8)).noise()[0].modality().sigma(), 1e-9);
    }

    @Test
    void otherSeriesAreOnlyBounded() {
        // the median reading is white: slice by slice, at most 3 and at least 1 times the air
        AirLevelBound.Applied a = apply(air(1), DenoiseSettings.defaults(), slice(50, 8), slice(12, 2), slice(5, 1.5));
        assertEquals(30, a.noise()[0].modality().sigma(), 1e-9);
        assertEquals(12, a.noise()[1].modality().sigma(), 1e-9);
        assertEquals(10, a.noise()[2].modality().sigma(), 1e-9);
        // a multi-coil series whose floor is kept was not measured: bounded only
        AirLevelBound.Applied kept = apply(air(16), DenoiseSettings.defaults().withKeepCoilFloor(true), slice(25, 8));
        assertEquals(25, kept.noise()[0].modality().sigma(), 1e-9);
        // a sigma the user gave is left alone
        SliceNoise given = slice(25, 8);
        assertSame(given, apply(air(1), DenoiseSettings.defaults().withNoiseSigma(25), given).noise()[0]);
    }

    @Test
    void oneCoilsCorrelatedNoiseIsSetFlatWhereTheEstimatorsMapFollowedTheAnatomy() {
        // the estimator's map of zero-filled one-coil noise: high over textured anatomy, low over flat tissue
        float[] map = new float[64];
        for (int i = 0; i < map.length; i++) map[i] = (i % 8 < 4 ? 0.04f : 0.01f);
        NoiseEstimate n = new NoiseEstimate(25.0 / 1000, 0, 25.0 / 1000, "test");
        SliceNoise shaped = new SliceNoise(new NoiseEstimate(25, 0, 25, "test"), n, MATCHER.timestepFor(n.sigma()), map, 8, new float[0]);
        float[] one = apply(air(1), DenoiseSettings.defaults(), shaped).noise()[0].map();
        for (float v : one) assertEquals(AirLevelBound.CORRELATED_FACTOR * AIR / 1000, v, 1e-6, "one coil: the same level everywhere");
        // several coils whose floor was removed keep the map's shape (the removal amplifies the noise of dim tissue)
        float[] many = apply(air(16), DenoiseSettings.defaults(), shaped).noise()[0].map();
        assertEquals(4, many[0] / many[4], 1e-4);
    }
}
