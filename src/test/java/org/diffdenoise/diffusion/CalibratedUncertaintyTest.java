package org.diffdenoise.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.ErrorSdTable;
import org.diffdenoise.model.UncertaintyCalibration;
import org.junit.jupiter.api.Test;

/** The calibrated uncertainty map: the bundle's formula applied to the samples' spread and the slice's noise sigma. */
class CalibratedUncertaintyTest {

    static UncertaintyCalibration calibration(double eta, String family, double a, double b) {
        return new UncertaintyCalibration(UncertaintyCalibration.QUANTITY, UncertaintyCalibration.FORMULA, eta, 2, 3,
                List.of(new UncertaintyCalibration.FamilyFit(family, a, b, 9, 0.95, 4.0)), "test data", "2026-12-05T00:00:00Z", "test");
    }

    @Test
    void calibratedMapIsTheFormulaAppliedToTheRawSpread() {
        int w = 64, h = 48;
        RandomAccessibleInterval<FloatType> in = DiffusionDenoiserTest.stack(DiffusionDenoiserTest.noisyStack(w, h, 2, 3, null), w, h);
        double sigma = 40;
        DenoiseSettings s = new DenoiseSettings(2, 3, 42, sigma, 64, 16, 2);
        // eta 1 in the calibration, as the uncalibrated denoiser uses, so both draw the same samples
        DenoiseResult raw = new DiffusionDenoiser(FakeNetworks.stateDependent(16), DiffusionDenoiserTest.SCHEDULE, DiffusionDenoiserTest.DESC)
                .denoise(in, NoiseFamily.RICIAN_MR, s, null, null);
        DenoiseResult cal = new DiffusionDenoiser(FakeNetworks.stateDependent(16), DiffusionDenoiserTest.SCHEDULE, DiffusionDenoiserTest.DESC,
                calibration(DiffusionSampler.STOCHASTIC_ETA, "RICIAN_MR", 2.0, 0.5)).denoise(in, NoiseFamily.RICIAN_MR, s, null, null);
        assertArrayEquals(DiffusionDenoiserTest.values(raw.denoised()), DiffusionDenoiserTest.values(cal.denoised()));
        float[] spread = DiffusionDenoiserTest.values(raw.uncertainty()), sd = DiffusionDenoiserTest.values(cal.uncertainty());
        boolean varies = false;
        for (int i = 0; i < sd.length; i++) {
            double expected = Math.sqrt(Math.pow(2.0 * spread[i], 2) + Math.pow(0.5 * sigma, 2));
            assertEquals(expected, sd[i], 1e-3 * expected, "pixel " + i);
            varies |= spread[i] != spread[0];
        }
        assertTrue(varies, "the spread (and so the map) varies over the image");
        assertEquals(DenoiseResult.SAMPLE_SD, raw.uncertaintyMeaning());
        assertTrue(cal.uncertaintyMeaning().startsWith(UncertaintyCalibration.QUANTITY), cal.uncertaintyMeaning());
        assertTrue(cal.uncertaintyMeaning().contains("2.00 x spread") && cal.uncertaintyMeaning().contains("0.500 x noise sigma"), cal.uncertaintyMeaning());
    }

    /** A series conditioned at another level than measured (an adaptation's factor) is not what the calibration was fitted on. */
    @Test
    void aSeriesConditionedAtAnotherLevelGetsTheUncalibratedSpreadSaidSo() {
        RandomAccessibleInterval<FloatType> in = DiffusionDenoiserTest.stack(DiffusionDenoiserTest.noisyStack(64, 48, 2, 3, null), 64, 48);
        DenoiseSettings s = new DenoiseSettings(2, 3, 42, 40, 64, 16, 2);
        DiffusionDenoiser d = new DiffusionDenoiser(FakeNetworks.stateDependent(16), DiffusionDenoiserTest.SCHEDULE, DiffusionDenoiserTest.DESC,
                calibration(DiffusionSampler.STOCHASTIC_ETA, "RICIAN_MR", 2.0, 0.5));
        DenoiseResult atMeasured = d.denoise(in, NoiseFamily.RICIAN_MR, s, null, null, Double.NaN);
        DenoiseResult scaled = d.denoise(in, NoiseFamily.RICIAN_MR, s, null, null, 0.7);
        assertTrue(atMeasured.uncertaintyMeaning().startsWith(UncertaintyCalibration.QUANTITY), atMeasured.uncertaintyMeaning());
        assertEquals(DenoiseResult.SAMPLE_SD, scaled.uncertaintyMeaning());
    }

    @Test
    void aTableCalibrationScalesTheLocalSigmaByTheRatioOfEachPixelsCell() {
        int w = 64, h = 48;
        RandomAccessibleInterval<FloatType> in = DiffusionDenoiserTest.stack(DiffusionDenoiserTest.noisyStack(w, h, 2, 3, null), w, h);
        double sigma = 40;
        DenoiseSettings s = new DenoiseSettings(2, 3, 42, sigma, 64, 16, 2);
        DenoiseResult raw = new DiffusionDenoiser(FakeNetworks.stateDependent(16), DiffusionDenoiserTest.SCHEDULE, DiffusionDenoiserTest.DESC)
                .denoise(in, NoiseFamily.RICIAN_MR, s, null, null);
        // one correlation and level bin; SNR bins < 0.05, 0.05-2, >= 2; spread / sigma bins < 0.1, >= 0.1
        ErrorSdTable table = new ErrorSdTable("RICIAN_MR", new double[0], new double[0], new double[] {0.05, 2}, new double[] {0.1},
                new double[] {0.01, 0.02, 0.3, 0.4, 0.5, 0.6}, null, 1, 0.95, false);
        UncertaintyCalibration cal = new UncertaintyCalibration(UncertaintyCalibration.QUANTITY, UncertaintyCalibration.TABLE_FORMULA,
                DiffusionSampler.STOCHASTIC_ETA, 2, 3, List.of(), "test data", "2026-12-05T00:00:00Z", "test", List.of(table));
        DenoiseResult t = new DiffusionDenoiser(FakeNetworks.stateDependent(16), DiffusionDenoiserTest.SCHEDULE, DiffusionDenoiserTest.DESC, cal)
                .denoise(in, NoiseFamily.RICIAN_MR, s, null, null);
        float[] spread = DiffusionDenoiserTest.values(raw.uncertainty()), mean = DiffusionDenoiserTest.values(t.denoised()),
                sd = DiffusionDenoiserTest.values(t.uncertainty());
        java.util.Set<Integer> cells = new java.util.HashSet<>();
        for (int i = 0; i < sd.length; i++) {
            // the sigma the user gave is the local sigma everywhere; a given sigma counts as white noise
            int cell = table.cell(spread[i], sigma, mean[i], 0, 1);
            cells.add(cell);
            assertEquals(sigma * table.ratios()[cell], sd[i], 1e-4 * sigma, "pixel " + i);
        }
        assertTrue(cells.size() > 1, "the pixels fall in several cells: " + cells);
        assertTrue(t.uncertaintyMeaning().contains("by noise correlation, noise level, SNR and spread"), t.uncertaintyMeaning());
    }

    @Test
    void calibrationSetsTheEtaOfTheSamplesAndAFamilyWithoutFitStaysUncalibrated() {
        int w = 64, h = 48;
        RandomAccessibleInterval<FloatType> in = DiffusionDenoiserTest.stack(DiffusionDenoiserTest.noisyStack(w, h, 1, 5, null), w, h);
        DenoiseSettings s = new DenoiseSettings(2, 3, 42, 40, 64, 16, 2);
        DenoiseResult eta1 = new DiffusionDenoiser(FakeNetworks.stateDependent(16), DiffusionDenoiserTest.SCHEDULE, DiffusionDenoiserTest.DESC,
                calibration(1.0, "GAUSSIAN_CT", 2, 0.5)).denoise(in, NoiseFamily.RICIAN_MR, s, null, null);
        DenoiseResult eta05 = new DiffusionDenoiser(FakeNetworks.stateDependent(16), DiffusionDenoiserTest.SCHEDULE, DiffusionDenoiserTest.DESC,
                calibration(0.5, "GAUSSIAN_CT", 2, 0.5)).denoise(in, NoiseFamily.RICIAN_MR, s, null, null);
        assertEquals(DenoiseResult.SAMPLE_SD, eta1.uncertaintyMeaning(), "no fit for MR: raw spread, labelled uncalibrated");
        double s1 = mean(DiffusionDenoiserTest.values(eta1.uncertainty())), s05 = mean(DiffusionDenoiserTest.values(eta05.uncertainty()));
        assertTrue(s05 < s1 && s05 > 0, "eta 0.5 injects less noise than eta 1: spread " + s05 + " vs " + s1);
        assertFalse(java.util.Arrays.equals(DiffusionDenoiserTest.values(eta1.denoised()), DiffusionDenoiserTest.values(eta05.denoised())));
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float f : v) s += f;
        return s / v.length;
    }
}
