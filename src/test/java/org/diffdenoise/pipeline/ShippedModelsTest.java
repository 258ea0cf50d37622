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
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.tf.TfNetworks;
import org.junit.jupiter.api.Test;

/** The bundles shipped under a name ({@code --model ct-xray-correlated}): found, checked, and doing what they are for. */
class ShippedModelsTest {

    @Test
    void theCorrelatedNoiseModelLoadsByNameAndBeatsTheDefaultOnRampKernelCt() throws Exception {
        ModelBundle named = TfNetworks.loadOrDefault(Path.of("ct-xray-correlated")), plain = TfNetworks.loadDefault();
        assertNotEquals(plain.metadata().sha256(), named.metadata().sha256(), "a different network from the default");
        // ramp-kernel noise reads like white noise to the default's texture input, so the fine-tuned model still wins
        RealisticCases.Case c = RealisticCases.benchmark(Paths.get("external-data"), id -> id.equals("ct-ramp-10")).get(0);
        double correlated = psnr(c, Path.of("ct-xray-correlated")), standard = psnr(c, null);
        assertTrue(correlated > standard + 0.3, "correlated-noise model " + correlated + " dB, default " + standard + " dB");
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
