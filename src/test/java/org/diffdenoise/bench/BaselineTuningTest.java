package org.diffdenoise.bench;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.classical.ClassicalDenoiser;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.diffdenoise.noise.NoiseModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselineTuningTest {

    /** The chosen strength beats every other strength of the grid on the tuning phantom, and is tuned once per level. */
    @Test
    void picksTheBestStrengthOncePerLevel() {
        BenchmarkReport report = new BenchmarkReport();
        BaselineTuning tuning = new BaselineTuning(report);
        ClassicalDenoiser proto = BenchmarkPlan.baselines(List.of("gaussian")).get(0);
        double[] level = BenchmarkPlan.levels("MR").get(1);
        ClassicalDenoiser first = tuning.tuned(proto, "MR", level);
        assertSame(first, tuning.tuned(proto, "MR", level));
        assertEquals(1, report.tuning.size());
        assertEquals("Rician 5%", report.tuning.get(0).level());

        FloatImage clean = BenchmarkData.tuningImage();
        NoiseModel nm = BenchmarkPlan.noiseModel("MR", level, clean.range());
        FloatImage noisy = new FloatImage(clean.width(), clean.height(), nm.degrade(clean.data(), new SplittableRandom(777)));
        double chosen = report.tuning.get(0).tuningPsnr();
        assertTrue(proto.tuningGrid().length > 1);
        for (double s : proto.tuningGrid()) {
            double p = ImageMetrics.psnr(clean, proto.withStrength(s).denoiseSlice(noisy, NoiseFamily.RICIAN_MR, BenchmarkPlan.oracleSigma(nm)));
            assertTrue(p <= chosen, "strength " + s + " gives " + p + " dB, more than the chosen " + chosen);
        }
        assertEquals(first.strength(), report.tuning.get(0).strength());
        assertSame(proto, tuning.forLowDoseXray(proto)); // no X-ray level tuned yet: the baseline as given
    }
}
