package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
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
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.tf.TfNetworks;
import org.junit.jupiter.api.Test;

/** The bundles shipped under a name ({@code --model ct-xray-correlated}): found, checked, and doing what they are for. */
class ShippedModelsTest {

    @Test
    void theCorrelatedNoiseModelLoadsByNameAndDenoisesRampKernelCt() throws Exception {
        ModelBundle named = TfNetworks.loadOrDefault(Path.of("ct-xray-correlated")), plain = TfNetworks.loadDefault();
        assertNotEquals(plain.metadata().sha256(), named.metadata().sha256(), "a different network from the default");
        // the noise it was fine-tuned for; since the estimator measures sharp-kernel CT at its level (session 11) the
        // default is ahead of it there too (docs/benchmarks.md), so the check is what it does, not that it wins
        RealisticCases.Case c = RealisticCases.benchmark(Paths.get("external-data"), id -> id.equals("ct-ramp-10")).get(0);
        double noisy = 0;
        for (int z = 0; z < c.noisy().size(); z++) noisy += ImageMetrics.psnr(c.reference().get(z), c.noisy().get(z)) / c.noisy().size();
        double correlated = psnr(c, Path.of("ct-xray-correlated")), standard = psnr(c, null);
        assertTrue(correlated > noisy + 7, "correlated-noise model " + correlated + " dB, noisy input " + noisy + " dB");
        assertTrue(standard > correlated, "default " + standard + " dB, correlated-noise model " + correlated + " dB");
    }

    @Test
    void onlyBareNamesOfShippedModelsAreNames() throws IOException {
        assertNull(ModelBundle.shippedResource(Path.of("no-such-model")));
        assertNull(ModelBundle.shippedResource(Path.of("/ct-xray-correlated")), "an absolute path is a folder");
        assertNull(ModelBundle.shippedResource(Path.of("models", "ct-xray-correlated")), "a relative path with folders too");
        IOException e = assertThrows(IOException.class, () -> DenoiserRegistry.checkBundle(Path.of("no-such-model")));
        assertTrue(e.getMessage().contains("no-such-model"), e.getMessage());
    }

    private static double psnr(RealisticCases.Case c, Path model) throws Exception {
        try (Denoiser d = DenoiserRegistry.diffusion(model)) {
            DenoiseResult r = d.denoise(FloatImage.toStack(c.noisy()), c.family(), DenoiseSettings.defaults(), ProgressListener.NONE,
                    CancelToken.none());
            return AdaptationSweep.psnr(c, r);
        }
    }
}
