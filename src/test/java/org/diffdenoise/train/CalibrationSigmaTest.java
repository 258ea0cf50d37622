package org.diffdenoise.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import net.imglib2.img.array.ArrayImgs;

import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.diffusion.DiffusionDenoiser;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.UncertaintyCalibration;
import org.diffdenoise.model.tf.TfNetworks;
import org.diffdenoise.noise.MrKspaceNoise;
import org.diffdenoise.noise.NoiseFieldEstimator;
import org.diffdenoise.noise.NoiseRealization;
import org.junit.jupiter.api.Test;

/**
 * {@code model calibrate} fits the error table with the local sigma the denoiser applies it to. On zero-filled MR with
 * air the denoiser conditions on a multiple of the air's sigma, not on the estimator's field (which reads the anatomy
 * as noise); the fit used to take the field, so the table learned error / field and was applied as error / level.
 */
class CalibrationSigmaTest {

    @Test
    void theFitTakesTheSigmaTheDenoiserCalibratesWith() throws Exception {
        ModelBundle bundle = TfNetworks.loadDefault();
        FloatImage slice = BenchmarkData.references(Path.of("external-data"), false, n -> n.equals("colin27-t1")).get(0).slices().get(1);
        int w = slice.width(), h = slice.height();
        float[] clean = slice.data(); // a T1 brain with air around it
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float v : clean) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        NoiseRealization r = new MrKspaceNoise(0.03 * (hi - lo), 2, 1, 1).simulate(clean, w, h, new SplittableRandom(5));
        UncertaintyCalibrator.Case c = new UncertaintyCalibrator.Case("colin27, zero-filled 2x", NoiseFamily.RICIAN_MR, true, w, h,
                r.reference(), r.noisy());
        UncertaintyCalibration etaOnly = new UncertaintyCalibration(UncertaintyCalibration.QUANTITY, UncertaintyCalibration.FORMULA,
                UncertaintyCalibrator.DEFAULT_ETA, 2, 2, List.of(), "", "", "");
        try (DiffusionDenoiser d = new DiffusionDenoiser(TfNetworks.open(bundle), bundle.schedule(), bundle.descriptor(), etaOnly)) {
            UncertaintyCalibrator.Measured m = UncertaintyCalibrator.measure(d, c, 2, 2);
            double level = d.denoise(ArrayImgs.floats(r.noisy().clone(), w, h), NoiseFamily.RICIAN_MR,
                    DenoiseSettings.defaults().withSteps(2), null, null).noiseSigma()[0];
            double fitted = org.diffdenoise.image.ImageMetrics.rms(m.sigma()), field = org.diffdenoise.image.ImageMetrics.rms(NoiseFieldEstimator.estimate(r.noisy(), w, h, NoiseFamily.RICIAN_MR).sigmaMap());
            String what = "fitted sigma " + fitted + ", the denoiser's level " + level + ", the estimator's field " + field;
            assertTrue(field > 1.25 * level, "the field reads the anatomy as noise here (what the test is about): " + what);
            assertEquals(level, fitted, 0.1 * level, what);
        }
    }
}
