package org.diffdenoise.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.ErrorSdTable;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.train.UncertaintyCalibrator.Case;
import org.diffdenoise.train.UncertaintyCalibrator.Measured;
import org.junit.jupiter.api.Test;

/** The table fit on measured cases whose true error SD per cell is known. */
class ErrorTableFitTest {

    static final int W = 128;

    /**
     * A case whose pixels are air (value 0, error SD 0.02 sigma) on the left quarter and tissue (value 30 sigma) with
     * spread 0.173 sigma and error SD 0.6 sigma elsewhere; sigma in {@code units} so that cases of different scale mix.
     * The tissue sits at its bins' centres (SNR beyond the top bin's, spread at the 0.15-0.2 bin's), where the
     * interpolated lookup gives its cell's ratio.
     */
    static Measured synthetic(long seed, double units, double level, double correlation) {
        int n = W * W;
        float[] mean = new float[n], err = new float[n], spread = new float[n], sigma = new float[n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            boolean air = i % W < W / 4;
            sigma[i] = (float) units;
            mean[i] = air ? 0 : (float) (30 * units);
            spread[i] = air ? 0 : (float) (Math.sqrt(0.15 * 0.2) * units);
            err[i] = (float) ((air ? 0.02 : 0.6) * units * NoiseModel.gaussian(rng));
        }
        Case c = new Case("synthetic " + seed, NoiseFamily.RICIAN_MR, false, W, W, new float[n], new float[n]);
        return new Measured(c, mean, err, spread, sigma, level, correlation, 30, 30);
    }

    @Test
    void eachCellGetsItsRmsErrorOverSigmaAndEmptyCellsBorrowFromTheirRow() {
        List<Measured> ms = new ArrayList<>();
        for (int k = 0; k < 4; k++) ms.add(synthetic(k, k % 2 == 0 ? 1 : 250, 0.05, 1.2));
        ErrorSdTable t = ErrorTableFit.fit(NoiseFamily.RICIAN_MR, ms);
        double air = t.ratios()[t.cell(0, 1, 0, 0.05, 1.2)], tissue = t.ratios()[t.cell(0.15, 1, 20, 0.05, 1.2)];
        assertEquals(0.02, air, 0.001, "air: output on the zero background");
        assertEquals(0.6, tissue, 0.01, "tissue");
        assertEquals(4L * W * W / 4, t.pixels()[t.cell(0, 1, 0, 0.05, 1.2)], "every air pixel of the 4 cases is in the air cell");
        // tissue at a spread never seen: its SNR row's ratio (all of it at spread 0.173); a level or a correlation never
        // seen: the level's or correlation's rows are empty, so the family's ratio
        int unseen = t.cell(0.01, 1, 20, 0.05, 1.2);
        assertEquals(0, t.pixels()[unseen]);
        assertEquals(tissue, t.ratios()[unseen], 1e-9);
        double family = t.ratios()[t.cell(0.15, 1, 20, 0.01, 1.2)];
        assertTrue(family > air && family < tissue, "the family's ratio mixes air and tissue: " + family);
        assertEquals(family, t.ratios()[t.cell(0.15, 1, 20, 0.05, 12)], 1e-9);
        assertEquals(0.954, t.coverage(), 0.01, "Gaussian errors at their true SD: P(|z| <= 2)");
        assertEquals(4, t.cases());
    }

    @Test
    void correlatedNoiseGetsItsOwnRatios() {
        // the same images, but the correlated cases' errors twice as large
        List<Measured> ms = new ArrayList<>(List.of(synthetic(1, 1, 0.05, 1.2), synthetic(2, 1, 0.05, 1.2)));
        for (Measured m : List.of(synthetic(3, 1, 0.05, 12), synthetic(4, 1, 0.05, 12))) {
            float[] e = m.error();
            for (int i = 0; i < e.length; i++) e[i] *= 2;
            ms.add(m);
        }
        ErrorSdTable t = ErrorTableFit.fit(NoiseFamily.RICIAN_MR, ms);
        assertEquals(0.6, t.ratios()[t.cell(0.15, 1, 20, 0.05, 1.2)], 0.015);
        assertEquals(1.2, t.ratios()[t.cell(0.15, 1, 20, 0.05, 12)], 0.03);
    }

    @Test
    void errorsThatDifferWithinTheFirstTablesSpreadBinFrom3To6PercentOfSigmaGetTheirOwnRatios() {
        // tissue at spread 0.035 sigma with error SD 0.4 sigma, and at 0.055 sigma with 0.7 sigma: the first table had one
        // bin for both (0.03-0.06) and gave each about 0.57, over- and under-predicting by 1.4x and 1.2x
        List<Measured> ms = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            Measured m = synthetic(10 + k, 1, 0.05, 1.2);
            SplittableRandom rng = new SplittableRandom(20 + k);
            for (int i = 0; i < m.error().length; i++) {
                if (m.mean()[i] == 0) continue;
                boolean low = (i / W) % 2 == 0;
                m.spread()[i] = low ? 0.035f : 0.055f;
                m.error()[i] = (float) ((low ? 0.4 : 0.7) * NoiseModel.gaussian(rng));
            }
            ms.add(m);
        }
        ErrorSdTable t = ErrorTableFit.fit(NoiseFamily.RICIAN_MR, ms);
        assertEquals(0.4, t.ratios()[t.cell(0.035, 1, 20, 0.05, 1.2)], 0.015, "low spread");
        assertEquals(0.7, t.ratios()[t.cell(0.055, 1, 20, 0.05, 1.2)], 0.02, "high spread");
    }

    @Test
    void theShippedBundlesWereCalibratedWithTheseBins() throws Exception {
        // the recorded method is written from the edges: a bundle whose record differs was fitted with other bins and
        // needs `diffdenoise model calibrate` again
        assertTrue(ErrorTableFit.METHOD.contains("spread / sigma (upper edges 0.015, 0.03, 0.045, 0.06, 0.08, 0.1, 0.15, 0.2)"), ErrorTableFit.METHOD);
        for (String name : List.of("default", "ct-xray-correlated")) {
            var u = org.diffdenoise.model.ModelBundle.load(java.nio.file.Path.of("src/main/resources/org/diffdenoise/model", name))
                    .metadata().uncertainty();
            String rec = u.fittedOn();
            assertTrue(rec.endsWith(ErrorTableFit.METHOD), name + " was fitted with: ..." + rec.substring(Math.max(0, rec.length() - 400)));
            assertEquals(ErrorTableFit.SPREAD_EDGES.length, u.tableFor(NoiseFamily.RICIAN_MR).spreadEdges().length, name);
            for (ErrorSdTable t : u.tables()) assertTrue(t.interpolated(), name + ", " + t.family() + ": looked up by cell");
            // the formula a reader of the bundle goes by is the one the code applies (a stale build once wrote an older text)
            assertEquals(org.diffdenoise.model.UncertaintyCalibration.TABLE_FORMULA, u.formula(), name);
        }
    }

    @Test
    void ctHasNoSnrBins() {
        ErrorSdTable t = ErrorTableFit.fit(NoiseFamily.GAUSSIAN_CT, List.of(synthetic(3, 1, 0.05, 1)));
        assertEquals(0, t.snrEdges().length);
        assertEquals((ErrorTableFit.CT_CORRELATION_EDGES.length + 1) * (ErrorTableFit.LEVEL_EDGES.length + 1) * (ErrorTableFit.SPREAD_EDGES.length + 1), t.cells());
    }
}
