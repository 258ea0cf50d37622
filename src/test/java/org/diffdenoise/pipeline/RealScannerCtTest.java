package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.SyntheticSeriesWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real contrast-enhanced head CT (Toshiba Xpress/GX, FC21 kernel, JPEG 2000 lossless; cornerstone-wado-image-loader's
 * test data): about 3 HU of noise in a range of about 3000 HU (padding at -2048, bone above 1000). The model's first
 * step stands for noise of 0.64 % of the range, about 20 HU here, and every positive level got at least that step: the
 * default (2.9 HU estimated) and even a given sigma of 1 HU smoothed away the contrast-filled vessels and the grey-white
 * contrast (SD 4.6 HU removed where the noise is about 3). Noise that faint is now left as it is.
 */
class RealScannerCtTest {

    private static Path study(Path tmp) throws Exception {
        Path f = Path.of("external-data", "cornerstone", "toshiba_head_ct.dcm");
        assertTrue(Files.exists(f), f + " missing: run scripts/setup.sh");
        Path study = Files.createDirectories(tmp.resolve("study"));
        Files.copy(f, study.resolve("ct.dcm"));
        return study;
    }

    @Test
    void aLowNoiseHeadCtIsNotSmoothedAsIfItsNoiseWereTheFirstStepsLevel(@TempDir Path tmp) throws Exception {
        Path study = study(tmp);
        // at its own level: nothing to denoise, said so, nothing written
        BatchReport byDefault = ShippedModelStudy.denoise(study, tmp.resolve("out"));
        assertEquals(0, byDefault.written(), () -> "results: " + byDefault.results());
        String why = byDefault.results().get(0).message();
        assertTrue(why.contains("fainter than the model denoises") && why.contains("the result would equal the input"), why);
        // a sigma given below that level leaves the image as it is, instead of smoothing it at the first step's level
        BatchReport given = ShippedModelStudy.denoise(study, tmp.resolve("out1"), new BatchOptions(org.diffdenoise.api.DenoiseSettings.defaults().withNoiseSigma(1), false, java.util.Set.of()));
        assertEquals(1, given.written(), () -> "results: " + given.results());
        float[] in = Dicom.backend().readSynthetic(study).slices().get(0);
        float[] out = SyntheticSeriesWriter.read(given.results().get(0).output()).slices().get(0);
        double sum2 = 0;
        for (int i = 0; i < in.length; i++) sum2 += (in[i] - out[i]) * (double) (in[i] - out[i]);
        assertTrue(Math.sqrt(sum2 / in.length) < 0.6, "RMS change " + Math.sqrt(sum2 / in.length) + " HU (the stored step is 1 HU)");
        assertTrue(given.results().get(0).message().contains("fainter than the model denoises"), given.results().get(0).message());
    }
}
