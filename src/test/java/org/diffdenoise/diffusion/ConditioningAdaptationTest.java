package org.diffdenoise.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;
import java.util.List;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.bench.RealisticCases;
import org.diffdenoise.image.FloatImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code --adapt} with the shipped model on simulated noise with a known reference. */
class ConditioningAdaptationTest {

    static DiffusionDenoiser model;

    @BeforeAll
    static void open() throws Exception {
        model = org.diffdenoise.pipeline.DenoiserRegistry.diffusion(org.diffdenoise.model.tf.TfNetworks.loadDefault());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static DenoiseResult denoise(RealisticCases.Case c, boolean adapt) {
        return model.denoise(FloatImage.toStack(c.noisy()), c.family(), DenoiseSettings.defaults().withAdapt(adapt),
                ProgressListener.NONE, CancelToken.none());
    }

    @Test
    void onCtHannNoiseTheTextureModelKeepsItsConditioningAndLosesNothing() throws Exception {
        RealisticCases.Case c = RealisticCases.benchmark(Paths.get("external-data"), id -> id.equals("ct-hann-10")).get(0);
        DenoiseResult plain = denoise(c, false), adapted = denoise(c, true);
        assertNull(plain.adaptation(), "no adaptation unless asked for");
        ConditioningAdaptation.Choice choice = model.adaptationChoice(FloatImage.toStack(c.noisy()), c.family(), DenoiseSettings.defaults());
        // the shipped model reads the texture of CT noise; a factor on top of it lost 0.8 dB here
        assertEquals(1, choice.scale(), choice.describe());
        assertTrue(choice.describe().contains("texture"), choice.describe());
        double change = AdaptationSweep.psnr(c, adapted) - AdaptationSweep.psnr(c, plain);
        assertTrue(change > -0.1, "PSNR change " + change + " dB; " + adapted.adaptation());
    }

    @Test
    void onWhiteNoiseTheFactorStaysOneAndTheOutputIsTheDefaultBitForBit() throws Exception {
        for (RealisticCases.Case c : AdaptationSweep.whiteCases(List.of("white-ct-5", "white-mr-2"))) {
            DenoiseResult plain = denoise(c, false), adapted = denoise(c, true);
            assertTrue(adapted.adaptation().matches("adaptation: sigma map x 1(\\.00)? .*"), c.id() + ": " + adapted.adaptation());
            List<FloatImage> a = FloatImage.fromStack(adapted.denoised()), p = FloatImage.fromStack(plain.denoised());
            assertEquals(p.size(), a.size());
            for (int z = 0; z < p.size(); z++) assertArrayEquals(p.get(z).data(), a.get(z).data(), c.id() + " slice " + z);
        }
    }

    @Test
    void whereTheSeriesOwnLossDisagreesTheFactorStaysOneAndNothingIsLost() throws Exception {
        // colin27 T1 with 10 % Rician noise, a white-noise case the model handles: both loss curves are flat near 1
        // (minima x 0.90 on the series, x 1.19 on the control); their ratio 0.76 cost 2.85 dB before the series' own
        // loss had to agree
        RealisticCases.Case c = RealisticCases.white(Paths.get("external-data"), id -> id.equals("white-colin27-t1-rician-10")).get(0);
        ConditioningAdaptation.Choice choice = model.adaptationChoice(FloatImage.toStack(c.noisy()), c.family(), DenoiseSettings.defaults());
        assertEquals(1, choice.scale(), choice.describe());
        DenoiseResult plain = denoise(c, false), adapted = denoise(c, true);
        double change = AdaptationSweep.psnr(c, adapted) - AdaptationSweep.psnr(c, plain);
        assertTrue(change > -0.1, "PSNR change " + change + " dB; " + adapted.adaptation());
    }

    @Test
    void theLossBetweenCandidatesIsInterpolatedInTheLogOfTheFactor() {
        double[] l = new double[ConditioningAdaptation.SCALES.length];
        for (int i = 0; i < l.length; i++) l[i] = i * i;
        assertEquals(16, ConditioningAdaptation.lossAt(l, 1), 1e-9);
        assertEquals(20.5, ConditioningAdaptation.lossAt(l, Math.pow(2, 1.0 / 8)), 1e-9);
        assertEquals(0, ConditioningAdaptation.lossAt(l, 0.1), 1e-9);
        assertTrue(ConditioningAdaptation.withinTie(1.2) && !ConditioningAdaptation.withinTie(0.76));
    }

    @Test
    void theMinimumIsRefinedByAParabola() {
        double[] l = new double[ConditioningAdaptation.SCALES.length];
        for (int i = 0; i < l.length; i++) l[i] = 3 + (i - 6.3) * (i - 6.3);
        assertEquals(6.3, ConditioningAdaptation.minimumIndex(l), 1e-9);
        assertEquals(Math.pow(2, 2.3 / 4), ConditioningAdaptation.factorAt(6.3), 1e-12);
        assertEquals(1, ConditioningAdaptation.factorAt(4), 0);
    }
}
