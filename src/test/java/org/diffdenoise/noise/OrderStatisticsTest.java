package org.diffdenoise.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Selection gives exactly what a full sort gives: the same bits at every index, and the same median formula. */
class OrderStatisticsTest {

    /** Random floats of a few kinds: spread, heavy ties (quantized), and with NaN, -0, +0 and infinities mixed in. */
    static float[] floats(SplittableRandom r, int n, int kind) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (kind) {
                case 0 -> (float) r.nextGaussian();
                case 1 -> r.nextInt(5);
                case 2 -> {
                    int k = r.nextInt(12);
                    yield k == 0 ? Float.NaN : k == 1 ? -0.0f : k == 2 ? 0.0f : k == 3 ? Float.POSITIVE_INFINITY
                            : k == 4 ? Float.NEGATIVE_INFINITY : (float) r.nextGaussian();
                }
                default -> 7f;
            };
        }
        return v;
    }

    @Test
    void everyIndexMatchesTheSortedArray() {
        SplittableRandom r = new SplittableRandom(3);
        for (int n = 1; n <= 60; n++)
            for (int kind = 0; kind < 4; kind++) {
                float[] v = floats(r, n, kind);
                float[] sorted = v.clone();
                Arrays.sort(sorted);
                for (int k = 0; k < n; k++) {
                    float[] work = v.clone();
                    float got = OrderStatistics.selectInPlace(work, n, k);
                    assertEquals(Float.floatToIntBits(sorted[k]), Float.floatToIntBits(got), "n " + n + " kind " + kind + " k " + k);
                    float[] rest = work.clone();
                    Arrays.sort(rest);
                    assertEquals(Arrays.toString(sorted), Arrays.toString(rest), "selection must only permute the values");
                }
            }
    }

    @Test
    void mediansMatchTheSortedFormulaOnOddAndEvenLengths() {
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + r.nextInt(trial < 300 ? 200 : 20_000);
            int kind = trial % 4;
            float[] v = floats(r, n + 3, kind); // a longer buffer: only the first n count
            float[] c = Arrays.copyOf(v, n);
            Arrays.sort(c);
            double expected = n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
            double got = OrderStatistics.medianInPlace(v.clone(), n);
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(got), "n " + n + " kind " + kind);

            double[] d = new double[n + 2];
            for (int i = 0; i < d.length; i++) d[i] = kind == 1 ? r.nextInt(4) : kind == 2 && r.nextInt(9) == 0 ? -0.0 : r.nextGaussian() * 1e3;
            double[] dc = Arrays.copyOf(d, n);
            Arrays.sort(dc);
            double dExpected = n % 2 == 1 ? dc[n / 2] : 0.5 * (dc[n / 2 - 1] + dc[n / 2]);
            assertEquals(Double.doubleToLongBits(dExpected), Double.doubleToLongBits(OrderStatistics.medianInPlace(d.clone(), n)));
            int k = r.nextInt(n);
            assertEquals(Double.doubleToLongBits(dc[k]), Double.doubleToLongBits(OrderStatistics.selectInPlace(d.clone(), n, k)));
        }
    }

    @Test
    void theEvenMedianAddsItsTwoMiddleValuesInFloat() {
        // 3 + 16777216 is not a float: the sorted formula adds in float first (16777220), so the median is 8388610,
        // not the 8388609.5 of a sum in double
        float[] v = {16777220f, 3f, 1f, 16777216f};
        assertEquals(8388610.0, OrderStatistics.medianInPlace(v.clone(), 4));
        assertEquals(8388610.0, NoiseLevelEstimator.median(v, 4));
    }
}
