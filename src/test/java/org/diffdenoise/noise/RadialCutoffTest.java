package org.diffdenoise.noise;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.bench.RealisticCases;
import org.diffdenoise.image.FloatImage;
import org.junit.jupiter.api.Test;

/**
 * Sharp-kernel CT noise (ramp, Shepp-Logan), whose spectrum is cut off radially, is measured at its per-pixel
 * standard deviation: the white estimator reads it 20-27 % low, the noise field no longer does. White noise on the
 * same real slice gets no factor.
 */
class RadialCutoffTest {

    /** The factor's power law against a fresh measurement on the flat water disk it was derived from (whole slice). */
    @Test
    void theFactorFollowsTheAxisRatioOnAFlatDisk() {
        int n = 256;
        float[] disk = NoiseSimulatorChecks.waterDisk(n);
        for (FbpKernel k : new FbpKernel[] {FbpKernel.RAMP, FbpKernel.SHEPP_LOGAN}) {
            NoiseRealization r = new CtProjectionNoise(k, 1, CtProjectionNoise.ELECTRONIC_NOISE, 0.7, 1, 0, 0)
                    .simulate(disk, n, n, 60, new SplittableRandom(21));
            double err = 0;
            for (int p = 0; p < disk.length; p++) {
                double d = r.noisy()[p] - r.reference()[p];
                err += d * d;
            }
            double truth = Math.sqrt(err / disk.length);
            double white = NoiseLevelEstimator.estimate(r.noisy(), n, n, NoiseFamily.GAUSSIAN_CT).sigma();
            NoiseField f = NoiseFieldEstimator.estimate(r.noisy(), n, n, NoiseFamily.GAUSSIAN_CT);
            assertTrue(white < 0.85 * truth, k + ": the diagonal detail reads " + white + " against " + truth);
            assertEquals(truth, f.sigma(), 0.1 * truth, k + ": " + f.method());
        }
    }

    /** The benchmark's real CT slice with projection-domain ramp-kernel noise, and white noise at the same level. */
    @Test
    void rampKernelNoiseOnARealSliceIsMeasuredAndWhiteNoiseIsNot() throws IOException {
        for (RealisticCases.Case c : RealisticCases.benchmark(Paths.get("external-data"), id -> id.startsWith("ct-ramp"))) {
            FloatImage noisy = c.noisy().get(0), ref = c.reference().get(0);
            int w = noisy.width(), h = noisy.height();
            float[] sigma = c.sigmaMaps().get(0).data();
            NoiseField f = NoiseFieldEstimator.estimate(noisy.data(), w, h, NoiseFamily.GAUSSIAN_CT);
            double truth = NoiseFieldEstimatorTest.rmsOver(sigma, null), est = NoiseFieldEstimatorTest.rmsOver(f.sigmaMap(), null);
            assertEquals(truth, est, 0.15 * truth, c.id() + ": " + f.method());

            float[] white = ref.data().clone();
            SplittableRandom rng = new SplittableRandom(5);
            for (int i = 0; i < white.length; i++) white[i] += (float) (sigma[i] * rng.nextGaussian());
            NoiseField wf = NoiseFieldEstimator.estimate(white, w, h, NoiseFamily.GAUSSIAN_CT);
            assertFalse(wf.method().contains("radially"), c.id() + " white: " + wf.method());
            assertEquals(truth, NoiseFieldEstimatorTest.rmsOver(wf.sigmaMap(), null), 0.15 * truth, c.id() + " white: " + wf.method());
        }
    }

    @Test
    void descriptorsOutsideTheSharpKernelWindowGiveNoFactor() {
        assertEquals(1, RadialCutoff.factor(1.05, 1.1), 0);    // white noise
        assertEquals(1, RadialCutoff.factor(1.8, 1.3), 0);     // structure at low noise, fine scale only
        assertEquals(1, RadialCutoff.factor(3.5, 2.5), 0);     // structure
        assertEquals(1, RadialCutoff.factor(1.8, 3.2), 0);     // a smooth kernel: the multi-scale sum measures it
        assertEquals(Math.pow(1.72, RadialCutoff.EXPONENT), RadialCutoff.factor(1.72, 2.0), 1e-12);
        double below = RadialCutoff.factor(1.5, 2.0), full = RadialCutoff.factor(1.6, 2.0);
        assertTrue(below > 1 && below < full, below + " then " + full);
    }
}
