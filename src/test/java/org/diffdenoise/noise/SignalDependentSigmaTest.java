package org.diffdenoise.noise;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SignalDependentSigmaTest {

    @Test
    void mapMatchesHandComputation() {
        // y = 3r + c on a 3x3 grid, 5x5 box. Centre: rows/cols {1,0,1,2,1} (mean 1), box mean 3*1+1 = 4.
        // Corner (0,0): rows/cols {2,1,0,1,2} (mean 1.2), box mean 3*1.2+1.2 = 4.8.
        float[] y = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        float[] m = SignalDependentSigma.map(y, 3, 3, 0.5, 0.1);
        assertEquals(Math.sqrt(0.5 * 4 + 0.01), m[4], 1e-6);
        assertEquals(Math.sqrt(0.5 * 4.8 + 0.01), m[0], 1e-6);
        // negative signal is clamped: only the read noise remains
        float[] neg = SignalDependentSigma.map(new float[] {-1, -1, -1, -1}, 2, 2, 0.5, 0.1);
        assertEquals(0.1, neg[0], 1e-7);
        assertThrows(IllegalArgumentException.class, () -> SignalDependentSigma.map(new float[3], 2, 2, 1, 1));
    }

    @Test
    void estimateConvertsToNormalizedUnits() {
        RobustNormalization norm = new RobustNormalization(100, 50);
        NoiseEstimate e = new NoiseEstimate(5, 0.2, 3, "x").normalized(norm);
        // var(x_n) = (0.2 (50 x_n + 100) + 9) / 2500 = 0.004 x_n + 29 / 2500
        assertEquals(0.004, e.gain(), 1e-12);
        assertEquals(Math.sqrt(29.0 / 2500), e.readSigma(), 1e-12);
        assertEquals(0.1, e.sigma(), 1e-12);
        float[] map = new NoiseEstimate(2, 0, 2, "g").sigmaMap(new float[4], 2, 2);
        assertArrayEquals(new float[] {2, 2, 2, 2}, map);
    }
}
