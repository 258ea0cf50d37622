package org.diffdenoise.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class CoilFloorTest {

    private static final int SIZE = 192;

    @Test
    void removingTheFloorLeavesOneCoilsMeanSquare() {
        // E[y^2] = x^2 + 2 N sigma^2 for N coils: after the removal, x^2 + 2 sigma^2 as for one coil's Rician data
        NoiseRealization sim = new MrKspaceNoise(0.03, 1, 16, 1).simulate(TestImages.mrPhantom(SIZE, SIZE).px(), SIZE, SIZE, new SplittableRandom(11));
        float[] y = sim.noisy(), clean = sim.reference();
        MultiCoilBackground.Reading r = MultiCoilBackground.read(y, SIZE, SIZE).orElseThrow();
        CoilFloor floor = CoilFloor.of(r);
        double tissue = 0, n = 0;
        for (int i = 0; i < y.length; i++)
            if (clean[i] > 0.5) {
                double v = floor.remove(y[i]);
                tissue += v * v - (double) clean[i] * clean[i];
                n++;
            }
        // 32 sigma^2 before; within 2 sigma^2 of one coil's 2 sigma^2 after (the reading's N is good to a few percent)
        assertEquals(2 * 0.03 * 0.03, tissue / n, 2 * 0.03 * 0.03, "mean excess of y'^2 over x^2 in bright tissue, " + r);
        assertTrue(Float.isNaN(floor.remove(Float.NaN)));
        assertEquals(0f, floor.remove(0f));
        assertEquals(-1f, floor.remove(-1f), "not a magnitude: left as it is");
    }

    @Test
    void theLowerPartOfTheAirBecomesOneCoilsRayleighBackground() {
        // 16 coils put the air on sigma chi_32 (median 5.6 sigma); in its lower part the removal maps it onto Rayleigh
        // quantiles (one coil's air), above that it subtracts the moments' floor, so nothing is clipped to 0 and the lower
        // quartile is Rayleigh's (0.76 sigma)
        NoiseRealization sim = new MrKspaceNoise(0.03, 1, 16, 1).simulate(TestImages.mrPhantom(SIZE, SIZE).px(), SIZE, SIZE, new SplittableRandom(12));
        float[] y = sim.noisy(), clean = sim.reference();
        CoilFloor floor = CoilFloor.of(MultiCoilBackground.read(y, SIZE, SIZE).orElseThrow());
        double[] air = java.util.stream.IntStream.range(0, y.length).filter(i -> clean[i] == 0).mapToDouble(i -> floor.remove(y[i])).sorted().toArray();
        long zeros = java.util.Arrays.stream(air).filter(v -> v == 0).count();
        assertTrue(zeros < 0.01 * air.length, zeros + " of " + air.length + " air pixels at 0");
        assertEquals(0.03 * Math.sqrt(-2 * Math.log(0.75)), air[air.length / 4], 0.1 * 0.03, "lower quartile of the air");
    }

    @Test
    void theTableFollowsTheFormula() {
        for (double coils : new double[] {2, 4.3, 16, 31.7}) {
            CoilFloor floor = CoilFloor.of(new MultiCoilBackground.Reading(coils, 3.0, 1, 2));
            double worst = 0;
            for (double y = 0.001; y < 60 * 3.0; y += 0.0137) worst = Math.max(worst, Math.abs(floor.remove((float) y) - floor.exact(y)));
            assertTrue(worst < 1e-3 * 3.0, coils + " coils: largest difference " + worst + " (the table is for values well inside the noise)");
        }
    }
}
