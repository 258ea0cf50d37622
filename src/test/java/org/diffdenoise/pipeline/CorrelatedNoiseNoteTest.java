package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.diffdenoise.bench.data.BenchPhantom;
import org.diffdenoise.dicom.SyntheticSeriesWriter;
import org.diffdenoise.noise.MrKspaceNoise;
import org.diffdenoise.noise.RicianNoise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A series whose noise is spatially correlated (zero-filled k-space) is denoised with the shipped model, and its report
 * and each derived instance say that the estimated sigma is the model's conditioning level; a white-noise series does not.
 */
class CorrelatedNoiseNoteTest {

    @Test
    void zeroFilledMrIsReportedAsCorrelatedAndWhiteNoiseIsNot(@TempDir Path tmp) throws Exception {
        int w = 192, h = 160;
        Path study = tmp.resolve("study");
        for (boolean zeroFilled : new boolean[] {true, false}) {
            List<float[]> slices = new ArrayList<>();
            SplittableRandom rng = new SplittableRandom(zeroFilled ? 3 : 4);
            for (int z = 0; z < 3; z++) {
                float[] clean = BenchPhantom.generate(w, h, 41, z / 3.0).data();
                slices.add(zeroFilled ? new MrKspaceNoise(25, 2, 1, 1).simulate(clean, w, h, rng.split()).noisy()
                        : new RicianNoise(25).degrade(clean, rng.split()));
            }
            String name = zeroFilled ? "zero-filled" : "white";
            var spec = new SyntheticSeriesWriter.SeriesSpec("MR", "Phantom^Noise", "NOISE-1", null, "noise note", name, zeroFilled ? 1 : 2, 1.0, 3.0);
            SyntheticSeriesWriter.write(slices, w, h, spec, Files.createDirectories(study.resolve(name)));
        }
        BatchReport r = ShippedModelStudy.denoise(study, tmp.resolve("out"));
        assertEquals(2, r.written(), () -> "results: " + r.results());
        for (SeriesResult s : r.results()) {
            boolean zeroFilled = s.series().seriesDescription().equals("zero-filled");
            String desc = ShippedModelStudy.derivationDescription(s.output());
            String said = "noise spatially correlated (Haar scale-2 / scale-1 variance ratio ";
            if (zeroFilled) {
                assertTrue(s.message().contains(said) && s.message().contains("can exceed the pixel standard deviation"), s.message());
                assertTrue(desc.contains("estimated noise sigma ") && desc.contains(said), desc);
            } else {
                assertFalse(s.message().contains(said), s.message());
                assertFalse(desc.contains("correlated"), desc);
            }
        }
    }
}
