package org.diffdenoise.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Weight interpolation: the end points are the two networks, a parameter the base lacks counts as zero. */
class WeightInterpolationTest {

    @Test
    void interpolatesEveryParameterOfTheTunedNetwork() {
        Map<String, float[]> base = Map.of("w", new float[] {1, 2}), tuned = Map.of("w", new float[] {3, -2}, "tex", new float[] {4});
        assertArrayEquals(new float[] {1, 2}, WeightInterpolation.interpolate(base, tuned, 0).get("w"));
        assertArrayEquals(new float[] {3, -2}, WeightInterpolation.interpolate(base, tuned, 1).get("w"));
        Map<String, float[]> half = WeightInterpolation.interpolate(base, tuned, 0.25);
        assertArrayEquals(new float[] {1.5f, 1f}, half.get("w"), 1e-6f);
        assertArrayEquals(new float[] {1f}, half.get("tex"), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> WeightInterpolation.interpolate(base, tuned, 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> WeightInterpolation.interpolate(Map.of("w", new float[3]), tuned, 0.5));
    }
}
