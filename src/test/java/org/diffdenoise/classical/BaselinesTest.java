package org.diffdenoise.classical;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.diffdenoise.bench.data.BenchPhantom;
import org.diffdenoise.noise.RicianNoise;
import org.diffdenoise.noise.GaussianNoise;
import org.diffdenoise.noise.PoissonGaussianNoise;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class BaselinesTest {
    private static final FloatImage CLEAN = BenchPhantom.generate(128, 128, 4242, 0.5);

    /** Every baseline, at a reasonable strength, gains at least 1.5 dB on a 5% Rician phantom (noisy: 24.5 dB). */
    @Test
    void eachBaselineImprovesPsnrAtFivePercentRician() {
        double sigma = 0.05 * CLEAN.range();
        FloatImage noisy = new FloatImage(128, 128, new RicianNoise(sigma).degrade(CLEAN.data(), new SplittableRandom(1)));
        double before = ImageMetrics.psnr(CLEAN, noisy);
        List<ClassicalDenoiser> all = List.of(new GaussianBlurDenoiser(0.5), new MedianDenoiser(1.0),
                new NonLocalMeansDenoiser(0.7), new TotalVariationDenoiser(0.7), new WaveletDenoiser(1.5));
        for (ClassicalDenoiser d : all) {
            double after = ImageMetrics.psnr(CLEAN, d.denoiseSlice(noisy, NoiseFamily.RICIAN_MR, sigma));
            assertTrue(after > before + 1.5, d.id() + ": " + before + " -> " + after + " dB");
        }
    }

    @Test
    void nlmRicianCorrectionRemovesBackgroundBias() {
        double sigma = 0.05 * CLEAN.range();
        FloatImage noisy = new FloatImage(128, 128, new RicianNoise(sigma).degrade(CLEAN.data(), new SplittableRandom(2)));
        NonLocalMeansDenoiser nlm = new NonLocalMeansDenoiser(0.7);
        FloatImage corrected = nlm.denoiseSlice(noisy, NoiseFamily.RICIAN_MR, sigma);
        FloatImage plain = nlm.withRicianCorrection(false).denoiseSlice(noisy, NoiseFamily.RICIAN_MR, sigma);
        // the phantom's corners are exactly zero; the Rayleigh mean there is sigma*sqrt(pi/2)
        double mc = cornerMean(corrected), mp = cornerMean(plain);
        assertTrue(mp > 0.8 * sigma, "uncorrected NLM keeps the Rician bias: " + mp);
        assertTrue(mc < 0.5 * mp, "corrected " + mc + " vs uncorrected " + mp);
    }

    @Test
    void waveletTransformIsExactlyInvertedWithoutShrinkage() {
        // with zero noise sigma BayesShrink gives threshold 0 (sigma^2 / sigma_x = 0): output equals input
        FloatImage out = new WaveletDenoiser(1.0).denoiseSlice(CLEAN, NoiseFamily.GAUSSIAN_CT, 0);
        for (int i = 0; i < out.data().length; i++) assertEquals(CLEAN.data()[i], out.data()[i], 1e-2);
    }

    @Test
    void anscombeRoundTripIsNearlyUnbiased() {
        GeneralizedAnscombe gat = new GeneralizedAnscombe(2.0, 3.0);
        for (double x : new double[] {50, 200, 1000}) assertEquals(x, gat.inverse(gat.forward(x)), 0.02 * x + 2);
        // the stabilized noise has unit variance
        PoissonGaussianNoise n = new PoissonGaussianNoise(2.0, 3.0);
        float[] flat = new float[20000];
        java.util.Arrays.fill(flat, 300f);
        float[] z = n.degrade(flat, new SplittableRandom(5));
        double m = 0, s = 0;
        for (float v : z) m += gat.forward(v);
        m /= z.length;
        for (float v : z) s += Math.pow(gat.forward(v) - m, 2);
        assertEquals(1.0, Math.sqrt(s / z.length), 0.05);
    }

    @Test
    void xrayBaselineWithAnscombeImprovesPsnr() {
        double r = CLEAN.range();
        PoissonGaussianNoise noise = new PoissonGaussianNoise(0.004 * r, 0.005 * r);
        FloatImage noisy = new FloatImage(128, 128, noise.degrade(CLEAN.data(), new SplittableRandom(3)));
        FloatImage out = new NonLocalMeansDenoiser(0.7).withXrayNoise(noise).denoiseSlice(noisy, NoiseFamily.POISSON_GAUSSIAN_XRAY, Double.NaN);
        assertTrue(ImageMetrics.psnr(CLEAN, out) > ImageMetrics.psnr(CLEAN, noisy) + 3);
    }

    @Test
    void gaussianCtNoiseIsReducedByTv() {
        FloatImage noisy = new FloatImage(128, 128, new GaussianNoise(40).degrade(CLEAN.data(), new SplittableRandom(4)));
        FloatImage out = new TotalVariationDenoiser(1.0).denoiseSlice(noisy, NoiseFamily.GAUSSIAN_CT, 40);
        assertTrue(ImageMetrics.psnr(CLEAN, out) > ImageMetrics.psnr(CLEAN, noisy) + 3);
    }

    private static double cornerMean(FloatImage im) {
        double s = 0;
        int n = 0;
        for (int y = 0; y < 12; y++) for (int x = 0; x < 12; x++) { s += im.get(x, y); n++; }
        return s / n;
    }
}
