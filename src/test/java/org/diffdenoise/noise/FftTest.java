package org.diffdenoise.noise;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class FftTest {

    @Test
    void matchesTheDirectDftForPowersOfTwoAndOtherLengths() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : new int[] {1, 2, 6, 8, 13, 64, 100}) {
            double[] re = new double[n], im = new double[n];
            for (int i = 0; i < n; i++) { re[i] = rng.nextDouble() - 0.5; im[i] = rng.nextDouble() - 0.5; }
            double[] r = re.clone(), i2 = im.clone();
            Fft.transform(r, i2, false);
            for (int k = 0; k < n; k++) {
                double sr = 0, si = 0;
                for (int t = 0; t < n; t++) {
                    double a = -2 * Math.PI * k * t / n;
                    sr += re[t] * Math.cos(a) - im[t] * Math.sin(a);
                    si += re[t] * Math.sin(a) + im[t] * Math.cos(a);
                }
                assertEquals(sr, r[k], 1e-9, "n=" + n + " k=" + k);
                assertEquals(si, i2[k], 1e-9, "n=" + n + " k=" + k);
            }
            Fft.transform(r, i2, true);
            for (int k = 0; k < n; k++) assertEquals(re[k], r[k], 1e-12);
        }
    }

    @Test
    void twoDimensionalRoundTrip() {
        int w = 12, h = 16;
        double[] re = new double[w * h], im = new double[w * h];
        for (int i = 0; i < re.length; i++) re[i] = Math.sin(i * 0.37);
        double[] r = re.clone(), i2 = im.clone();
        Fft.transform2d(r, i2, w, h, false);
        assertEquals(java.util.Arrays.stream(re).sum(), r[0], 1e-9, "DC is the sum");
        Fft.transform2d(r, i2, w, h, true);
        for (int i = 0; i < re.length; i++) assertEquals(re[i], r[i], 1e-12);
    }
}
