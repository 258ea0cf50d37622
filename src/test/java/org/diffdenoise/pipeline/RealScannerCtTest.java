package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real contrast-enhanced head CT (Toshiba Xpress/GX, FC21 kernel, JPEG 2000 lossless; cornerstone-wado-image-loader's
 * test data): about 3 HU of noise in a range of about 3000 HU (padding at -2048, bone above 1000). The model's first
 * step stands for noise of 0.64 % of the range, about 20 HU here, and every positive level got at least that step: the
 * default (2.9 HU estimated) and even a given sigma of 1 HU smoothed away the contrast-filled vessels and the grey-white
 * contrast (SD 4.6 HU removed where the noise is about 3). Noise that faint, estimated or given, is now left alone: the
 * series fails with the reason, since the result would equal the input.
 */
class RealScannerCtTest {

    private static Path study(Path tmp) throws Exception {
        Path f = Path.of("external-data", "cornerstone", "toshiba_head_ct.dcm");
        assertTrue(Files.exists(f), f + " missing: run scripts/setup.sh");
        Path study = Files.createDirectories(tmp.resolve("study"));
        Files.copy(f, study.resolve("ct.dcm"));
        return study;
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    @Test
    void aLowNoiseHeadCtIsNotSmoothedAsIfItsNoiseWereTheFirstStepsLevel(@TempDir Path tmp) throws Exception {
        Path study = study(tmp);
        // at its own level: nothing to denoise, said so, nothing written
        BatchReport byDefault = ShippedModelStudy.denoise(study, tmp.resolve("out"));
        assertEquals(0, byDefault.written(), () -> "results: " + byDefault.results());
        String why = byDefault.results().get(0).message();
        assertTrue(why.contains("fainter than the model denoises") && why.contains("the result would equal the input"), why);
        // a sigma given below that level is not denoised at the first step's level either: the same, nothing written
        BatchReport given = ShippedModelStudy.denoise(study, tmp.resolve("out1"),
                new BatchOptions(org.diffdenoise.api.DenoiseSettings.defaults().withNoiseSigma(1), false, java.util.Set.of()));
        assertEquals(0, given.written(), () -> "results: " + given.results());
        assertTrue(given.results().get(0).message().contains("fainter than the model denoises"), given.results().get(0).message());
        assertTrue(Files.notExists(tmp.resolve("out1")) || isEmpty(tmp.resolve("out1")), "nothing written");
        // at a level the model denoises it is denoised
        BatchReport strong = ShippedModelStudy.denoise(study, tmp.resolve("out2"),
                new BatchOptions(org.diffdenoise.api.DenoiseSettings.defaults().withNoiseSigma(20), false, java.util.Set.of()));
        assertEquals(1, strong.written(), () -> "results: " + strong.results());
    }
}
