package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.SyntheticSeriesWriter;
import org.diffdenoise.noise.MultiCoilBackground;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real high-SNR 3T scanner MR through the pipeline with the shipped model and default options: the estimator reads
 * their anatomy as correlated noise (a 64-channel diffusion mosaic: 3113 against 55 in its air; a 32-channel MPRAGE:
 * up to 57 against 3.3), and conditioned on that the network wiped the anatomy (what it removed had an SD of 20 and 9
 * times the air's noise). The level is now bounded by the air's noise, and what is removed stays near the noise.
 */
class RealScannerMrTest {

    @Test
    void siemensPrisma64ChannelDiffusionMosaicKeepsItsAnatomy(@TempDir Path tmp) throws Exception {
        Path study = Files.createDirectories(tmp.resolve("study"));
        Files.copy(Path.of("external-data", "heudiconv", "b0dwi_for_fmap+00001.dcm"), study.resolve("b0.dcm"));
        check(study, tmp.resolve("out"));
    }

    @Test
    void siemensTrio32ChannelMprageKeepsItsAnatomy(@TempDir Path tmp) throws Exception {
        Path study = Files.createDirectories(tmp.resolve("study"));
        try (Stream<Path> s = Files.list(Path.of("external-data", "dwv"))) {
            for (Path f : s.filter(f -> f.getFileName().toString().startsWith("bbmri-")).toList()) Files.copy(f, study.resolve(f.getFileName()));
        }
        check(study, tmp.resolve("out"));
    }

    private static void check(Path study, Path out) throws Exception {
        SyntheticSeriesWriter.ReadBack in = Dicom.backend().readSynthetic(study);
        assertTrue(!in.slices().isEmpty(), "real MR test data missing under external-data: run scripts/setup.sh");
        double air = MultiCoilBackground.background(in.slices()::get, in.slices().size(), in.width(), in.height()).airSigma()
                .orElseThrow(() -> new AssertionError(study + ": the air was not read"));
        BatchReport r = ShippedModelStudy.denoise(study, out);
        assertEquals(1, r.written(), () -> "results: " + r.results());
        SeriesResult s = r.results().get(0);
        // what the denoiser removed, over the object (the brighter 40 % of the pixels): near the noise, not the anatomy
        List<float[]> denoised = SyntheticSeriesWriter.read(s.output()).slices();
        assertEquals(in.slices().size(), denoised.size());
        double sum = 0, sum2 = 0;
        long n = 0;
        for (int z = 0; z < denoised.size(); z++) {
            float[] a = in.slices().get(z), b = denoised.get(z);
            float[] sorted = a.clone();
            java.util.Arrays.sort(sorted);
            float cut = sorted[(int) (0.6 * (sorted.length - 1))];
            for (int i = 0; i < a.length; i++)
                if (a[i] > cut) {
                    double d = a[i] - b[i];
                    sum += d;
                    sum2 += d * d;
                    n++;
                }
        }
        double removedSd = Math.sqrt(sum2 / n - (sum / n) * (sum / n));
        assertTrue(removedSd < 2.5 * air, "SD of what was removed over the object " + removedSd + ", the air's noise sigma " + air);
        assertTrue(s.message().contains("noise level bounded by the air"), s.message());
        for (double v : s.noiseSigma()) assertTrue(v <= 3.001 * air, "level " + v + " against the air's " + air);
    }
}
