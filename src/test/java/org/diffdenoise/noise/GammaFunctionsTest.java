package org.diffdenoise.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GammaFunctionsTest {

    @Test
    void upperIncompleteGammaMatchesClosedForms() {
        // Q(1, x) = exp(-x); Q(2, x) = (1 + x) exp(-x); Q(1/2, x) = erfc(sqrt(x)), here at x = 1: 0.157299207
        for (double x : new double[] {0.01, 0.5, 1, 3, 10, 40}) {
            assertEquals(Math.exp(-x), GammaFunctions.upperGammaQ(1, x), 1e-12 + 1e-9 * Math.exp(-x), "Q(1, " + x + ")");
            assertEquals((1 + x) * Math.exp(-x), GammaFunctions.upperGammaQ(2, x), 1e-12 + 1e-9 * Math.exp(-x), "Q(2, " + x + ")");
        }
        assertEquals(0.157299207050285, GammaFunctions.upperGammaQ(0.5, 1), 1e-9);
    }

    @Test
    void logGammaMatchesFactorials() {
        assertEquals(Math.log(24), GammaFunctions.logGamma(5), 1e-12);
        assertEquals(Math.log(Math.sqrt(Math.PI)), GammaFunctions.logGamma(0.5), 1e-12);
    }
}
