package org.diffdenoise.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.tf.BundleExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorSdTableTest {

    // 2 correlation bins x 2 level bins x 3 SNR bins x 2 spread bins; ratio = the cell index / 10 so a lookup names its cell
    static ErrorSdTable table() {
        double[] ratios = new double[24];
        for (int i = 0; i < ratios.length; i++) ratios[i] = i / 10.0;
        return new ErrorSdTable("RICIAN_MR", new double[] {5}, new double[] {0.05}, new double[] {0.05, 2}, new double[] {0.1}, ratios,
                new long[24], 5, 0.95, false);
    }

    @Test
    void aPixelIsLookedUpByNoiseLevelThenSnrThenSpreadAndScaledBySigma() {
        ErrorSdTable t = table();
        // white (correlation 1: bin 0), level 0.02 (bin 0), value 0 (SNR 0: bin 0, the air bin), spread 0 (bin 0)
        assertEquals(0, t.cell(0, 10, 0, 0.02, 1));
        // level 0.1 (bin 1), SNR 1 (bin 1), spread / sigma 0.5 (bin 1): (1 * 3 + 1) * 2 + 1
        assertEquals(9, t.cell(5, 10, 10, 0.1, 1));
        assertEquals(10 * 0.9, t.sd(5, 10, 10, 0.1, 1), 1e-6);
        // correlated noise (bin 1): 12 cells further
        assertEquals(21, t.cell(5, 10, 10, 0.1, 8));
        // an edge belongs to the bin above it; no sigma: the open top bins
        assertEquals(2, t.cell(0, 10, 0.5, 0.02, 1), "SNR 0.05 exactly is past the first edge");
        assertEquals(5, t.cell(0, 0, 1, 0.02, 1));
    }

    // the same cells, looked up interpolated between the bins' centres
    static ErrorSdTable interpolated() {
        ErrorSdTable t = table();
        return new ErrorSdTable(t.family(), t.correlationEdges(), t.levelEdges(), t.snrEdges(), t.spreadEdges(), t.ratios(), t.pixels(), t.cases(),
                t.coverage(), true);
    }

    @Test
    void anInterpolatedTableHasNoStepWhereAPixelCrossesABinEdge() {
        ErrorSdTable t = interpolated();
        double sigma = 10, below = 1 - 1e-6, above = 1 + 1e-6;
        // across the SNR edge 2 (value 20 at sigma 10), spread / sigma 0.5; the cell lookup jumps from ratio 0.3 to 0.5 here
        assertEquals(t.sd(5, sigma, 20 * below, 0.02, 1), t.sd(5, sigma, 20 * above, 0.02, 1), 1e-4);
        // across the spread edge 0.1 (spread 1 at sigma 10), SNR 1
        assertEquals(t.sd(below, sigma, 10, 0.02, 1), t.sd(above, sigma, 10, 0.02, 1), 1e-4);
    }

    @Test
    void anInterpolatedTableGivesEachCellsRatioAtItsBinsCentresAndBlendsInBetween() {
        ErrorSdTable t = interpolated();
        double sigma = 10;
        // SNR edges 0.05, 2: centres 0.05 / sqrt(40), sqrt(0.1), 2 sqrt(40); spread edge 0.1: centres 0.05, 0.2
        assertEquals(0.3 * sigma, t.sd(0.2 * sigma, sigma, Math.sqrt(0.1) * sigma, 0.02, 1), 1e-5, "cell (0, 0, 1, 1)");
        assertEquals(0.1 * sigma, t.sd(0.2 * sigma, sigma, 0, 0.02, 1), 1e-5, "an output on 0 (the air) takes the first SNR bin");
        assertEquals(0.5 * sigma, t.sd(100 * sigma, sigma, 100 * sigma, 0.02, 1), 1e-5, "constant beyond the outer centres");
        assertEquals(0.4 * sigma, t.sd(0.2 * sigma, sigma, 2 * sigma, 0.02, 1), 1e-5, "at the edge between two centres: their mean");
        // level and correlation keep their bins (one per slice): level 0.1 is 6 cells on, correlated noise 12
        assertEquals(0.9 * sigma, t.sd(0.2 * sigma, sigma, Math.sqrt(0.1) * sigma, 0.1, 1), 1e-5);
        assertEquals(1.5 * sigma, t.sd(0.2 * sigma, sigma, Math.sqrt(0.1) * sigma, 0.02, 8), 1e-5);
        assertEquals(0, ErrorSdTable.position(new double[] {0.05, 2}, Double.NaN));
        assertEquals(0, ErrorSdTable.position(new double[0], 3));
        UncertaintyCalibration u = new UncertaintyCalibration(UncertaintyCalibration.QUANTITY, UncertaintyCalibration.TABLE_FORMULA, 0.3, 2, 4,
                List.of(), "unit test", "2026-12-07T00:00:00Z", "test", List.of(t));
        assertTrue(u.describe(NoiseFamily.RICIAN_MR).contains("SNR and spread / sigma, interpolated in the last two; table"), u.describe(NoiseFamily.RICIAN_MR));
    }

    @Test
    void aTableWithTheWrongNumberOfRatiosOrANegativeOneIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ErrorSdTable("GAUSSIAN_CT", new double[0],
                new double[] {0.05}, new double[0], new double[] {0.1}, new double[3], null, 1, 0.9, false));
        assertTrue(e.getMessage().contains("GAUSSIAN_CT") && e.getMessage().contains("3 ratios, expected 4"), e.getMessage());
        double[] r = new double[4];
        r[2] = -1;
        e = assertThrows(IllegalArgumentException.class, () -> new ErrorSdTable("GAUSSIAN_CT", new double[0], new double[] {0.05}, new double[0],
                new double[] {0.1}, r, null, 1, 0.9, false));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void aTableCalibrationRoundTripsThroughTheBundleAndAFamilyWithoutTableKeepsTheFormula(@TempDir Path tmp) throws Exception {
        Path dir = copyOfShippedBundle(tmp);
        UncertaintyCalibration u = new UncertaintyCalibration(UncertaintyCalibration.QUANTITY, UncertaintyCalibration.TABLE_FORMULA, 0.3, 2, 4,
                List.of(new UncertaintyCalibration.FamilyFit("GAUSSIAN_CT", 1.5, 0.25, 3, 0.95, 4)), "unit test", "2026-12-05T00:00:00Z", "test",
                List.of(table()));
        BundleExporter.writeUncertainty(dir, u);
        UncertaintyCalibration back = ModelBundle.load(dir).metadata().uncertainty();
        assertEquals(u, back);
        assertNotNull(back.tableFor(NoiseFamily.RICIAN_MR));
        assertNull(back.tableFor(NoiseFamily.GAUSSIAN_CT), "CT has only the formula fit");
        assertTrue(back.calibrates(NoiseFamily.GAUSSIAN_CT) && back.calibrates(NoiseFamily.RICIAN_MR));
        assertTrue(!back.calibrates(NoiseFamily.POISSON_GAUSSIAN_XRAY));
        assertTrue(back.describe(NoiseFamily.RICIAN_MR).startsWith("calibrated: sd = noise sigma x (0.0 to 2.3 by noise correlation, noise level, SNR and spread"),
                back.describe(NoiseFamily.RICIAN_MR));
        assertTrue(back.describe(NoiseFamily.GAUSSIAN_CT).contains("1.50 x spread"), back.describe(NoiseFamily.GAUSSIAN_CT));
    }

    @Test
    void aBundleCalibratedWithTheFirstTableLayoutStillLoadsAndKeepsItsOwnBins(@TempDir Path tmp) throws Exception {
        // the shipped calibration before the bins changed (spread 0.03/0.06/0.1/0.2, level 0.035/0.07), kept as a resource
        UncertaintyCalibration first;
        try (var in = getClass().getResourceAsStream("calibration-first-table.json")) {
            first = new com.google.gson.Gson().fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), UncertaintyCalibration.class);
        }
        Path dir = copyOfShippedBundle(tmp);
        BundleExporter.writeUncertainty(dir, first);
        UncertaintyCalibration back = ModelBundle.load(dir).metadata().uncertainty();
        assertEquals(first, back);
        ErrorSdTable mr = back.tableFor(NoiseFamily.RICIAN_MR);
        assertEquals(210, mr.cells());
        assertTrue(java.util.Arrays.equals(new double[] {0.035, 0.07}, mr.levelEdges()), java.util.Arrays.toString(mr.levelEdges()));
        // level 0.06 is in its middle level bin (the new edges would put it in the first): the lookup uses the table's own edges
        // correlation bin 0, level bin 1, SNR 20 (bin 6), spread / sigma 0.05 (bin 1 of 0.03/0.06/0.1/0.2)
        assertEquals(mr.cell(0, 1, 6, 1), mr.cell(0.05, 1, 20, 0.06, 1.2));
        assertEquals(mr.ratios()[mr.cell(0, 1, 6, 1)], mr.sd(0.05, 1, 20, 0.06, 1.2), 1e-6);
        assertTrue(!mr.interpolated(), "a table written before the field keeps its cell lookup");
    }

    @Test
    void aBundleWhoseTableWasCutShortIsRefusedWithTheReason(@TempDir Path tmp) throws Exception {
        Path dir = copyOfShippedBundle(tmp);
        BundleExporter.writeUncertainty(dir, new UncertaintyCalibration(UncertaintyCalibration.QUANTITY, UncertaintyCalibration.TABLE_FORMULA,
                0.3, 2, 4, List.of(), "unit test", "2026-12-05T00:00:00Z", "test", List.of(table())));
        Path meta = dir.resolve(BundleMetadata.FILE_NAME);
        String json = Files.readString(meta, StandardCharsets.UTF_8);
        // drop the last ratio (2.3) as a hand edit might
        String cut = json.replaceFirst(",\\s*2\\.3\\s*\\]", "]");
        assertTrue(!cut.equals(json), "the edit applied");
        Files.writeString(meta, cut, StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> ModelBundle.load(dir));
        assertTrue(e.getMessage().contains(BundleMetadata.FILE_NAME) && e.getMessage().contains("23 ratios, expected 24"), e.getMessage());
    }

    static Path copyOfShippedBundle(Path tmp) throws IOException {
        Path src = ModelBundle.loadDefault().directory();
        Path dir = tmp.resolve("bundle");
        Files.createDirectories(dir.resolve("variables"));
        try (var s = Files.walk(src)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) Files.copy(p, dir.resolve(src.relativize(p).toString()));
        }
        return dir;
    }
}
