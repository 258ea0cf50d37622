package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.MosaicLayout;
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
        SeriesResult s = check(study, tmp.resolve("out"), MosaicLayout.of(81, 1350, 1368));
        // the kept CSA header still gives the derived volume its slice timing (none without it)
        String sidecar = Files.readString(dcm2niix(s.output(), tmp.resolve("nii"), "(150x152x81x1)").resolveSibling("dwi.json"));
        assertTrue(sidecar.contains("\"SliceTiming\""), sidecar);
        String timing = sidecar.substring(sidecar.indexOf("\"SliceTiming\""));
        assertEquals(81, timing.substring(timing.indexOf('[') + 1, timing.indexOf(']')).split(",").length, timing);
    }

    /** Converts {@code series} with dcm2niix into {@code dir}; returns the NIfTI after checking the size it printed. */
    private static Path dcm2niix(Path series, Path dir, String size) throws Exception {
        Process p = new ProcessBuilder("dcm2niix", "-o", Files.createDirectories(dir).toString(), "-f", "dwi", series.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        assertTrue(log.contains(size), log);
        return dir.resolve("dwi.nii");
    }

    /**
     * A 12-channel BOLD EPI volume stored as a mosaic of 35 slices of 64 x 64 in 6 x 6 tiles, each slice's first
     * column 0. Denoised as one 384 x 384 image, its air was mostly the empty tiles and it read as one coil with no
     * bound: what was removed had an SD of 43-65 (3-4 times the air's Rayleigh sigma), and the derived image lost the
     * private count, so dcm2niix guessed 36 slices. Now each slice is denoised on its own, its zero column is not read
     * as air, and the derived mosaic keeps the count.
     */
    @Test
    void siemensTrio12ChannelEpiMosaicIsDenoisedSliceBySliceAndStaysAMosaic(@TempDir Path tmp) throws Exception {
        Path study = Files.createDirectories(tmp.resolve("study"));
        Files.copy(Path.of("external-data", "heudiconv-epi", "axasc35.dcm"), study.resolve("epi.dcm"));
        MosaicLayout layout = MosaicLayout.of(35, 384, 384);
        SeriesResult s = check(study, tmp.resolve("out"), layout);
        assertTrue(s.message().contains("Siemens mosaic: 35 slices of 64 x 64 per image"), s.message());
        assertTrue(s.message().contains("about 5 coils"), s.message());
        // read back by this reader and by dcm2niix: a mosaic of 35 slices, the empty tile as it was
        var back = Dicom.backend().load(Dicom.backend().scan(s.output()).series().get(0));
        assertEquals(layout, back.mosaic());
        float[] out = SyntheticSeriesWriter.read(s.output()).slices().get(0);
        for (int y = 5 * 64; y < 384; y++)
            for (int x = 5 * 64; x < 384; x++) assertEquals(0, out[y * 384 + x], 0, "empty tile at " + x + "," + y);
        dcm2niix(s.output(), tmp.resolve("nii"), "(64x64x35x1)");
    }

    /**
     * A prescan-normalized PASL mosaic (dicomnifti's example) whose air is 0-3 units against tissue of 1000-1400: its
     * darkest region is over a quarter exact zeros, so it reads as masked and its level cannot be checked against the
     * air. It is not bounded (its tissue noise is not known to be near the air's), and the user is told so.
     */
    @Test
    void aMosaicWhoseAirReadsAsMaskedSaysItsLevelIsUnchecked(@TempDir Path tmp) throws Exception {
        Path study = Files.createDirectories(tmp.resolve("study"));
        Files.copy(Path.of("external-data", "dicomnifti", "pasl.dcm"), study.resolve("pasl.dcm"));
        BatchReport r = ShippedModelStudy.denoise(study, tmp.resolve("out"));
        assertEquals(1, r.written(), () -> "results: " + r.results());
        String m = r.results().get(0).message();
        assertTrue(m.contains("Siemens mosaic: 20 slices of 72 x 72 per image"), m);
        assertTrue(m.contains("no unmasked air to check the estimated level against"), m);
        assertTrue(!m.contains("bounded by the air"), m);
    }

    @Test
    void siemensTrio32ChannelMprageKeepsItsAnatomy(@TempDir Path tmp) throws Exception {
        Path study = Files.createDirectories(tmp.resolve("study"));
        try (Stream<Path> s = Files.list(Path.of("external-data", "dwv"))) {
            for (Path f : s.filter(f -> f.getFileName().toString().startsWith("bbmri-")).toList()) Files.copy(f, study.resolve(f.getFileName()));
        }
        SeriesResult r = check(study, tmp.resolve("out"), null);
        // four of its six slices read as correlated (the anatomy): since session 19 the series is conditioned at 1.4 times
        // its air's sigma (2.91) rather than bounded at 3 times it
        assertTrue(r.message().contains("noise level set from the air") && r.message().contains("were given 1.4 times"), r.message());
        for (double v : r.noiseSigma()) assertEquals(4.08, v, 0.05, "level");
    }

    /**
     * A real GE Signa Excite 1.5T diffusion image (ami.js's test data): low SNR, 2x interpolated (128 acquired, 256
     * reconstructed), so its noise is correlated, and its air (mean 51, SD 27: Rayleigh, sigma about 40) dominates the
     * image. The estimator found too little tissue to measure and read the air's fine scale, which the interpolation
     * leaves short: 9.6, a quarter of the noise, and its air was not read (6 zero rows at its top looked like masked air),
     * so nothing checked it. The denoiser removed little (SD 7.3 over the air). Now the air is read and the level raised
     * to it.
     */
    @Test
    void aLowSnrGeDiffusionImageIsDenoisedAtLeastAtItsAirsLevel(@TempDir Path tmp) throws Exception {
        Path study = Files.createDirectories(tmp.resolve("study"));
        Files.copy(Path.of("external-data", "ami", "mi2b2.dcm"), study.resolve("dwi.dcm"));
        SyntheticSeriesWriter.ReadBack read = Dicom.backend().readSynthetic(study);
        float[] in = read.slices().get(0);
        double air = MultiCoilBackground.background(read.slices()::get, 1, read.width(), read.height()).airSigma()
                .orElseThrow(() -> new AssertionError("the air was not read"));
        BatchReport r = ShippedModelStudy.denoise(study, tmp.resolve("out"));
        assertEquals(1, r.written(), () -> "results: " + r.results());
        SeriesResult s = r.results().get(0);
        assertTrue(s.message().contains("noise level raised to the air's"), s.message());
        assertTrue(s.noiseSigma()[0] >= 0.999 * air, s.noiseSigma()[0] + " against the air's " + air);
        float[] out = SyntheticSeriesWriter.read(s.output()).slices().get(0);
        // what was removed over the darker half of the non-zero pixels (the air): a good part of its noise
        float[] sorted = in.clone();
        Arrays.sort(sorted);
        int firstNonZero = 0;
        while (sorted[firstNonZero] == 0) firstNonZero++;
        float cut = sorted[(firstNonZero + sorted.length) / 2];
        double sum = 0, sum2 = 0;
        long n = 0;
        for (int i = 0; i < in.length; i++)
            if (in[i] > 0 && in[i] <= cut) {
                double d = in[i] - out[i];
                sum += d;
                sum2 += d * d;
                n++;
            }
        double removedSd = Math.sqrt(sum2 / n - (sum / n) * (sum / n));
        assertTrue(removedSd > 0.3 * air, "SD of what was removed over the air " + removedSd + ", the air's noise sigma " + air);
    }

    /**
     * The same GE image with a small very bright patch (0.6 % of the pixels at 10000, e.g. a marker), which widens the
     * normalized range tenfold: its estimate (9.6) then reads fainter than the model denoises, but its air (36) does
     * not. The air's bound now applies before a series is declared too faint to denoise; it used to fail with "fainter
     * than the model denoises".
     */
    @Test
    void aFaintEstimateIsRaisedToItsAirBeforeTheSeriesIsCalledTooFaint(@TempDir Path tmp) throws Exception {
        Path study = Files.createDirectories(tmp.resolve("study"));
        Files.copy(Path.of("external-data", "ami", "mi2b2.dcm"), study.resolve("dwi.dcm"));
        SyntheticSeriesWriter.ReadBack read = Dicom.backend().readSynthetic(study);
        int w = read.width(), h = read.height();
        float[] slice = read.slices().get(0).clone();
        for (int y = h / 2 - 10; y < h / 2 + 10; y++) for (int x = w / 2 - 10; x < w / 2 + 10; x++) slice[y * w + x] = 10000;
        try (org.diffdenoise.api.Denoiser d = DenoiserRegistry.diffusion((Path) null)) {
            org.diffdenoise.api.DenoiseResult r = d.denoise(ArrayImgs.floats(slice, w, h, 1), org.diffdenoise.api.NoiseFamily.RICIAN_MR,
                    org.diffdenoise.api.DenoiseSettings.defaults(), org.diffdenoise.api.ProgressListener.NONE,
                    org.diffdenoise.api.CancelToken.none());
            assertTrue(r.noiseNote() != null && r.noiseNote().contains("raised to the air's"), String.valueOf(r.noiseNote()));
        }
    }

    /** Denoises the study and checks what was removed against the air; {@code mosaic}: the tiling of its images, or null. */
    private static SeriesResult check(Path study, Path out, MosaicLayout mosaic) throws Exception {
        SyntheticSeriesWriter.ReadBack read = Dicom.backend().readSynthetic(study);
        assertTrue(!read.slices().isEmpty(), "real MR test data missing under external-data: run scripts/setup.sh");
        List<float[]> in = slices(read.slices(), read.width(), read.height(), mosaic);
        int w = mosaic == null ? read.width() : mosaic.tileWidth(), h = mosaic == null ? read.height() : mosaic.tileHeight();
        double air = MultiCoilBackground.background(in::get, in.size(), w, h).airSigma()
                .orElseThrow(() -> new AssertionError(study + ": the air was not read"));
        BatchReport r = ShippedModelStudy.denoise(study, out);
        assertEquals(1, r.written(), () -> "results: " + r.results());
        SeriesResult s = r.results().get(0);
        // what the denoiser removed, over the object (the brighter 40 % of the pixels): near the noise, not the anatomy
        SyntheticSeriesWriter.ReadBack back = SyntheticSeriesWriter.read(s.output());
        List<float[]> denoised = slices(back.slices(), back.width(), back.height(), mosaic);
        assertEquals(in.size(), denoised.size());
        double sum = 0, sum2 = 0;
        long n = 0;
        for (int z = 0; z < denoised.size(); z++) {
            float[] a = in.get(z), b = denoised.get(z);
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
        assertTrue(s.message().contains("noise level bounded by the air") || s.message().contains("noise level set from the air"), s.message());
        assertTrue(!s.message().contains("no unmasked air"), s.message());
        for (double v : s.noiseSigma()) assertTrue(v <= 3.001 * air, "level " + v + " against the air's " + air);
        return s;
    }

    /** The slices of the stored images: the images themselves, or their mosaic tiles. */
    private static List<float[]> slices(List<float[]> images, int w, int h, MosaicLayout mosaic) {
        if (mosaic == null) return images;
        ArrayImg<FloatType, FloatArray> stack = ArrayImgs.floats(w, h, images.size());
        float[] all = stack.update(null).getCurrentStorageArray();
        for (int z = 0; z < images.size(); z++) System.arraycopy(images.get(z), 0, all, z * w * h, w * h);
        float[] tiles = ((ArrayImg<FloatType, FloatArray>) mosaic.unpack(stack)).update(null).getCurrentStorageArray();
        int plane = mosaic.tileWidth() * mosaic.tileHeight();
        List<float[]> out = new ArrayList<>();
        for (int z = 0; z < tiles.length / plane; z++) out.add(Arrays.copyOfRange(tiles, z * plane, (z + 1) * plane));
        return out;
    }
}
