package org.diffdenoise.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diffdenoise.noise.NoiseModel;
import org.junit.jupiter.api.Test;

class UncertaintyReliabilityTest {

    /** Gaussian errors drawn with SDs that vary over a factor 10: a perfect map of them is calibrated. */
    @Test
    void trueStandardDeviationsAreCalibratedAndHalfOfThemAreNot() {
        int n = 200_000;
        float[] sd = new float[n], err = new float[n], half = new float[n];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            sd[i] = (float) (1 + 9 * rng.nextDouble());
            err[i] = (float) (sd[i] * NoiseModel.gaussian(rng));
            half[i] = sd[i] / 2;
        }
        UncertaintyReliability r = UncertaintyReliability.of(sd, err);
        assertEquals(0.954, r.coverage2sd(), 0.005, "P(|z| <= 2) for a normal error");
        assertTrue(r.worstBinFactor() < 1.05, "bins agree: " + r.worstBinFactor());
        assertTrue(r.calibrated());
        assertTrue(r.correlation() > 0.3, "a map that varies with the error SD correlates with |error|: " + r.correlation());
        UncertaintyReliability h = UncertaintyReliability.of(half, err);
        assertEquals(2, h.worstBinFactor(), 0.1);
        assertEquals(0.683, h.coverage2sd(), 0.005, "P(|z| <= 1)");
        assertFalse(h.calibrated());
    }

    @Test
    void binsAreDecilesOfThePrediction() {
        float[] sd = new float[100], err = new float[100];
        for (int i = 0; i < 100; i++) {
            sd[i] = 100 - i; // unsorted on purpose
            err[i] = 3;
        }
        UncertaintyReliability r = UncertaintyReliability.of(sd, err);
        assertEquals(5.5, r.binMeanSd()[0], 1e-9);
        assertEquals(95.5, r.binMeanSd()[9], 1e-9);
        assertArrayEquals(new double[] {3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, r.binRmsError(), 1e-9);
    }

    @Test
    void aBinPredictingZeroWhereThereIsErrorIsInfinitelyOffWhereverItLies() {
        float[] sd = new float[100], err = new float[100];
        for (int i = 0; i < 100; i++) {
            sd[i] = i < 10 ? 0 : i; // the first bin predicts 0 ...
            err[i] = i < 10 ? 0 : i; // ... and has no error: skipped
        }
        assertEquals(1.0, UncertaintyReliability.of(sd, err).worstBinFactor(), 0.05, "later bins are still checked");
        err[95] = 1000;
        assertTrue(UncertaintyReliability.of(sd, err).worstBinFactor() > 3, "a bad last bin is found after a 0/0 first bin");
        err[0] = 1;
        assertEquals(Double.POSITIVE_INFINITY, UncertaintyReliability.of(sd, err).worstBinFactor());
    }
}
