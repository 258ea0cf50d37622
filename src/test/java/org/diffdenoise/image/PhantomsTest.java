package org.diffdenoise.image;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Phantoms are deterministic for a seed, differ between seeds, and have structure (not flat, finite). */
class PhantomsTest {

    @Test
    void deterministicForASeed() {
        assertArrayEquals(Phantoms.mrLike(64, 123), Phantoms.mrLike(64, 123), 0f);
        assertArrayEquals(Phantoms.xrayLike(64, 123), Phantoms.xrayLike(64, 123), 0f);
        assertFalse(java.util.Arrays.equals(Phantoms.mrLike(64, 123), Phantoms.mrLike(64, 124)));
        assertFalse(java.util.Arrays.equals(Phantoms.xrayLike(64, 123), Phantoms.xrayLike(64, 124)));
    }

    @Test
    void phantomsHaveContrast() {
        for (long seed = 0; seed < 20; seed++) {
            for (float[] img : new float[][] {Phantoms.mrLike(64, seed), Phantoms.xrayLike(64, seed)}) {
                double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
                for (float v : img) {
                    assertTrue(Float.isFinite(v));
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                assertTrue(max - min > 0.05, "seed " + seed + ": nearly flat phantom, range " + (max - min));
            }
        }
    }
}
