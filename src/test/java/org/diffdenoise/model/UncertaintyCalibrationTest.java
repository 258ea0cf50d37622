package org.diffdenoise.model;

import org.diffdenoise.model.tf.BundleExporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.diffdenoise.api.NoiseFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UncertaintyCalibrationTest {

    @Test
    void shippedBundleIsCalibratedForEveryFamily() throws Exception {
        UncertaintyCalibration u = ModelBundle.loadDefault().metadata().uncertainty();
        assertNotNull(u, "the shipped bundle carries its uncertainty calibration");
        assertTrue(u.eta() > 0 && u.eta() <= 1);
        for (NoiseFamily f : NoiseFamily.values()) {
            ErrorSdTable t = u.tableFor(f);
            assertNotNull(t, f.name());
            assertTrue(java.util.Arrays.stream(t.ratios()).allMatch(r -> r > 0 && r < 5), t.toString());
            assertTrue(t.coverage() > 0.9 && t.coverage() < 0.98, "fitting coverage " + t.coverage());
        }
        assertTrue(u.fittedOn().contains("training images only"), u.fittedOn());
    }

    @Test
    void writingACalibrationKeepsTheRestOfTheMetadataAndTheHashes(@TempDir Path tmp) throws Exception {
        Path src = ModelBundle.loadDefault().directory();
        Path dir = tmp.resolve("bundle");
        Files.createDirectories(dir.resolve("variables"));
        try (var s = Files.walk(src)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) Files.copy(p, dir.resolve(src.relativize(p).toString()));
        }
        Path meta = dir.resolve(BundleMetadata.FILE_NAME);
        JsonObject before = JsonParser.parseString(Files.readString(meta, StandardCharsets.UTF_8)).getAsJsonObject();
        BundleExporter.writeUncertainty(dir, null);
        assertNull(ModelBundle.load(dir).metadata().uncertainty(), "an older bundle without calibration still loads");
        UncertaintyCalibration u = new UncertaintyCalibration(UncertaintyCalibration.QUANTITY, UncertaintyCalibration.FORMULA, 0.7, 2, 4,
                List.of(new UncertaintyCalibration.FamilyFit("GAUSSIAN_CT", 1.5, 0.25, 3, 0.95, 4)), "unit test", "2026-12-05T00:00:00Z", "test");
        BundleExporter.writeUncertainty(dir, u);
        ModelBundle b = ModelBundle.load(dir); // hashes still verify: the SavedModel is untouched
        assertEquals(u, b.metadata().uncertainty());
        assertEquals("calibrated: sd = sqrt((1.50 x spread)^2 + (0.250 x noise sigma)^2), GAUSSIAN_CT fit of 2026-12-05T00:00:00Z on 3 simulated cases",
                u.describe(NoiseFamily.GAUSSIAN_CT));
        assertEquals("uncalibrated (no fit for RICIAN_MR)", u.describe(NoiseFamily.RICIAN_MR));
        JsonObject after = JsonParser.parseString(Files.readString(meta, StandardCharsets.UTF_8)).getAsJsonObject();
        after.remove("uncertainty");
        before.remove("uncertainty");
        assertEquals(before, after, "every other field keeps its value");
        assertEquals(Math.sqrt(3 * 3 + 0.5 * 0.5), UncertaintyCalibration.sd(u.forFamily(NoiseFamily.GAUSSIAN_CT), 2, 2, 100, 0.05), 1e-6);
    }
}
