package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.bench.RealisticCases;
import org.diffdenoise.diffusion.AdaptationSweep;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.junit.jupiter.api.Test;

/**
 * Low-SNR interpolated MR (a diffusion-weighted image's kind of noise), simulated with known truth: Colin27 T1 with
 * single-coil noise of 12 % of its range, zero-filled 2x. Too little tissue stands 5 sigma above the air for the
 * estimator's multi-scale measure, and the finest scale holds little of interpolated noise: it read 8.4 against a
 * per-pixel sigma of 22, and the default gained 0.8 dB. The level is now raised to the air's noise (read 18.5).
 */
class LowSnrMrTest {

    @Test
    void lowSnrZeroFilledMrIsDenoisedAtLeastAtItsAirsLevel() throws Exception {
        RealisticCases.Case c = RealisticCases.colin27Mr(Paths.get("external-data"), "mr-12-zf2", 0.12, 2, 1, 4242);
        double noisy = 0;
        for (int z = 0; z < c.noisy().size(); z++) noisy += ImageMetrics.psnr(c.reference().get(z), c.noisy().get(z)) / c.noisy().size();
        double trueSigma = 0.12 * FloatImage.range(c.reference());
        try (Denoiser d = DenoiserRegistry.diffusion((java.nio.file.Path) null)) {
            double byDefault = psnr(d, c, Double.NaN), atTrueSigma = psnr(d, c, trueSigma);
            // measured: noisy 17.42, default 21.33 (before: 18.18), at the true sigma 22.40 dB
            assertTrue(byDefault > noisy + 3, "default " + byDefault + " dB, noisy " + noisy + " dB");
            assertTrue(byDefault > atTrueSigma - 1.5, "default " + byDefault + " dB, at the true sigma " + atTrueSigma + " dB");
        }
    }

    /**
     * 16-coil root-sum-of-squares MR at 8 % noise, zero-filled 1.5x. Once the coils' noise floor is removed the noise of
     * dim tissue is amplified, and the network wants about twice the per-coil sigma; the estimator read 0.6 times it,
     * and the default did no better than the model told the per-coil sigma (20.78 dB). Raised to 1.5 times the air's
     * per-coil sigma it gives 24.94 dB.
     */
    @Test
    void multiCoilMrIsDenoisedAtLeastAtOneAndAHalfTimesItsAirsPerCoilLevel() throws Exception {
        RealisticCases.Case c = RealisticCases.colin27Mr(Paths.get("external-data"), "mr-8-16coil", 0.08, 1.5, 16, 4242);
        double perCoil = 0.08 * FloatImage.range(c.reference());
        try (Denoiser d = DenoiserRegistry.diffusion((java.nio.file.Path) null)) {
            double byDefault = psnr(d, c, Double.NaN), atPerCoilSigma = psnr(d, c, perCoil);
            assertTrue(byDefault > atPerCoilSigma + 2, "default " + byDefault + " dB, at the per-coil sigma " + atPerCoilSigma + " dB");
        }
    }

    private static double psnr(Denoiser d, RealisticCases.Case c, double sigma) {
        DenoiseResult r = d.denoise(FloatImage.toStack(c.noisy()), c.family(), DenoiseSettings.defaults().withNoiseSigma(sigma),
                ProgressListener.NONE, CancelToken.none());
        return AdaptationSweep.psnr(c, r);
    }
}
