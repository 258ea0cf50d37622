package org.diffdenoise.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.RecordedDerivation;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.pipeline.BatchReport;
import org.diffdenoise.pipeline.SeriesStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** The SciJava commands and the DenoiseService in a headless SciJava context, with the shipped model, on real DICOM. */
class SciJavaCommandTest {
    static Context context;
    static String override;

    @BeforeAll
    static void start() {
        // the real diffusion model, not the test denoiser other Fiji tests install
        override = System.clearProperty(SmoothingTestDenoiser.ACTIVE_PROPERTY);
        context = new Context(CommandService.class, DenoiseService.class);
    }

    @AfterAll
    static void stop() {
        context.dispose();
        if (override != null) System.setProperty(SmoothingTestDenoiser.ACTIVE_PROPERTY, override);
    }

    @Test
    void eachCommandIsFoundWithTheMacroKeysAsParameterNames() {
        CommandService commands = context.getService(CommandService.class);
        Map<Class<?>, List<String>> expected = Map.of(
                DenoiseStudyFolderSciJavaCommand.class, List.of("input", "output", "steps", "samples", "seed", "noise_sigma", "strength", "method", "model", "adapt", "keep_coil_floor", "overwrite"),
                DenoiseDicomSeriesSciJavaCommand.class, List.of("input", "output", "series", "steps", "samples", "seed", "overwrite", "show"),
                DenoiseCurrentImageSciJavaCommand.class, List.of("image", "steps", "modality", "compare", "save", "output"),
                CompareBeforeAfterSciJavaCommand.class, List.of("before", "after", "difference", "measure"),
                ModelInfoSciJavaCommand.class, List.of("model"));
        expected.forEach((cls, keys) -> {
            CommandInfo info = commands.getCommand(cls.getName());
            assertNotNull(info, "SciJava found no command " + cls.getName());
            for (String k : keys) assertNotNull(info.getInput(k), cls.getSimpleName() + " has no input " + k);
            assertNull(info.getMenuPath().getLeaf(), "the ImageJ 1 entry is the menu item; " + cls.getSimpleName() + " must not add a second");
        });
    }

    @Test
    void adaptParameterReachesTheModelAndIsRecordedInTheDerivedSeries(@TempDir Path tmp) throws Exception {
        RecordedDerivation rec = runOneStepBatch(FijiTestSupport.goodStudy(tmp), tmp.resolve("out"), "adaptation: sigma map x", "adapt");
        assertTrue(rec.provenance().adaptation().startsWith("adaptation: sigma map x"), rec.provenance().adaptation());
    }

    @Test
    void keepCoilFloorParameterReachesTheDenoiserAndIsRecorded(@TempDir Path tmp) throws Exception {
        Path study = tmp.resolve("study");
        org.diffdenoise.pipeline.MultiCoilStudy.write(study, 16);
        RecordedDerivation rec = runOneStepBatch(study, tmp.resolve("out"), "its noise floor was kept, as asked", "keep_coil_floor");
        assertTrue(rec.provenance().noiseNote().contains("multi-coil magnitude background"), rec.provenance().noiseNote());
        assertTrue(rec.provenance().noiseNote().contains("its noise floor was kept, as asked"), rec.provenance().noiseNote());
    }

    @Test
    void strengthParameterReachesTheDenoiserAndIsRecorded(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        CommandModule m = context.getService(CommandService.class).run(DenoiseStudyFolderSciJavaCommand.class, true,
                "input", FijiTestSupport.goodStudy(tmp).toFile(), "output", out.toFile(), "steps", 1, "strength", 0.5).get();
        assertEquals("", m.getOutput("error"));
        assertTrue(((String) m.getOutput("report")).contains("strength 0.500 (times the noise level)"), () -> "report: " + m.getOutput("report"));
        assertEquals(0.5, Dicom.backend().recordedDerivation(FijiTestSupport.derivedSeries(out).get(0)).orElseThrow().provenance().strength());
        CommandModule bad = context.getService(CommandService.class).run(DenoiseStudyFolderSciJavaCommand.class, true,
                "input", FijiTestSupport.goodStudy(tmp.resolve("b")).toFile(), "output", tmp.resolve("out2").toFile(), "samples", 2, "strength", 0.5).get();
        assertTrue(((String) bad.getOutput("error")).contains("Strength must be 1 with several samples"), () -> "error: " + bad.getOutput("error"));
    }

    // the batch command with 1 step and the boolean key switched on: no error, the report says so; what the series records
    private static RecordedDerivation runOneStepBatch(Path study, Path out, String reported, String key) throws Exception {
        CommandModule m = context.getService(CommandService.class).run(DenoiseStudyFolderSciJavaCommand.class, true,
                "input", study.toFile(), "output", out.toFile(), "steps", 1, key, true).get();
        assertEquals("", m.getOutput("error"));
        assertTrue(((String) m.getOutput("report")).contains(reported), () -> "report: " + m.getOutput("report"));
        return Dicom.backend().recordedDerivation(FijiTestSupport.derivedSeries(out).get(0)).orElseThrow();
    }

    @Test
    void batchCommandWritesTheDerivedSeriesAndARerunKeepsIt(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.goodStudy(tmp);
        Path out = tmp.resolve("out");
        CommandService commands = context.getService(CommandService.class);
        CommandModule m = commands.run(DenoiseStudyFolderSciJavaCommand.class, true,
                "input", study.toFile(), "output", out.toFile(), "steps", 2, "samples", 1, "seed", 7L).get();
        assertEquals("", m.getOutput("error"));
        assertEquals(1, m.getOutput("written"), () -> "report: " + m.getOutput("report"));
        List<Path> derived = FijiTestSupport.derivedSeries(out);
        assertEquals(1, derived.size());
        assertEquals(FijiTestSupport.SLICES, FijiTestSupport.dcmCount(derived.get(0)));
        assertEquals(derived.get(0).toString(), m.getOutput("outputs"));
        // the derived series reads back as a DERIVED series of the same size, recording this run's settings
        SeriesRef source = Dicom.backend().scan(study).series().get(0);
        SeriesRef written = Dicom.backend().scan(derived.get(0)).series().get(0);
        assertEquals(source.slices(), written.slices());
        assertEquals(source.rows(), written.rows());
        assertTrue(!written.seriesInstanceUid().equals(source.seriesInstanceUid()));
        assertTrue(written.seriesDescription().endsWith("(DiffDenoise)"), written.seriesDescription());
        RecordedDerivation rec = Dicom.backend().recordedDerivation(derived.get(0)).orElseThrow();
        assertEquals(source.seriesInstanceUid(), rec.sourceSeriesUid());
        assertEquals(2, rec.provenance().steps());
        assertEquals(7L, rec.provenance().seed());
        DicomSeries before = Dicom.backend().load(source), after = Dicom.backend().load(written);
        double roughBefore = roughness(before.pixels()), roughAfter = roughness(after.pixels());
        assertTrue(roughAfter < 0.95 * roughBefore, "pixel-to-pixel differences shrink: " + roughBefore + " -> " + roughAfter);

        // the same run again: kept, reported, nothing recomputed; other settings: refused, naming the difference
        CommandModule again = commands.run(DenoiseStudyFolderSciJavaCommand.class, true,
                "input", study.toFile(), "output", out.toFile(), "steps", 2, "samples", 1, "seed", 7L).get();
        assertEquals(0, again.getOutput("written"));
        assertTrue(((String) again.getOutput("report")).startsWith(SeriesStatus.ALREADY_DONE.name()), (String) again.getOutput("report"));
        CommandModule other = commands.run(DenoiseStudyFolderSciJavaCommand.class, true,
                "input", study.toFile(), "output", out.toFile(), "steps", 3, "seed", 7L).get();
        assertEquals(1, other.getOutput("failed"));
        assertTrue(((String) other.getOutput("report")).contains("steps 3 here, 2 there"), (String) other.getOutput("report"));
    }

    @Test
    void seriesCurrentImageAndModelInfoCommandsRunThroughTheSharedImplementation(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.goodStudy(tmp);
        CommandService commands = context.getService(CommandService.class);
        CommandModule series = commands.run(DenoiseDicomSeriesSciJavaCommand.class, true,
                "input", study.toFile(), "output", tmp.resolve("series-out").toFile(), "series", "1").get();
        assertEquals("", series.getOutput("error"));
        assertEquals(1, series.getOutput("written"));
        assertEquals(FijiTestSupport.SLICES, FijiTestSupport.dcmCount(Path.of((String) series.getOutput("outputs"))));

        DicomSeries s = Dicom.backend().load(Dicom.backend().scan(study).series().get(0));
        ij.ImagePlus imp = ImagePlusConversion.toImagePlus("brain", s.pixels(), ImagePlusConversion.calibration(s));
        CommandModule current = commands.run(DenoiseCurrentImageSciJavaCommand.class, true,
                "image", imp, "modality", "MR", "samples", 2).get();
        assertEquals("", current.getOutput("error"));
        ij.ImagePlus denoised = (ij.ImagePlus) current.getOutput("denoised");
        ij.ImagePlus sd = (ij.ImagePlus) current.getOutput("uncertainty");
        assertEquals("brain (denoised)", denoised.getTitle());
        assertEquals(32, denoised.getBitDepth());
        assertEquals(imp.getStackSize(), denoised.getStackSize());
        assertEquals(imp.getStackSize(), sd.getStackSize());
        assertTrue(roughness(ImagePlusConversion.toCalibratedFloat(denoised))
                < 0.95 * roughness(ImagePlusConversion.toCalibratedFloat(imp)));
        // at half the strength less is smoothed, and the title says which result is which
        ij.ImagePlus plain = (ij.ImagePlus) commands.run(DenoiseCurrentImageSciJavaCommand.class, true, "image", imp, "modality", "MR")
                .get().getOutput("denoised");
        ij.ImagePlus half = (ij.ImagePlus) commands.run(DenoiseCurrentImageSciJavaCommand.class, true, "image", imp, "modality", "MR",
                "strength", 0.5).get().getOutput("denoised");
        assertEquals("brain (denoised, strength 0.5)", half.getTitle());
        assertTrue(roughness(ImagePlusConversion.toCalibratedFloat(half)) > roughness(ImagePlusConversion.toCalibratedFloat(plain)),
                "strength 0.5 keeps more of the pixel-to-pixel variation");

        CommandModule info = commands.run(ModelInfoSciJavaCommand.class, true).get();
        assertEquals("", info.getOutput("error"));
        assertTrue(((String) info.getOutput("info")).contains("Self-check"), (String) info.getOutput("info"));
    }

    @Test
    void badParametersComeBackAsTheErrorOutput(@TempDir Path tmp) throws Exception {
        CommandService commands = context.getService(CommandService.class);
        CommandModule m = commands.run(DenoiseStudyFolderSciJavaCommand.class, true,
                "input", tmp.resolve("missing").toFile(), "output", tmp.resolve("out").toFile(), "steps", 99).get();
        assertTrue(((String) m.getOutput("error")).contains("Steps must be a whole number from 1 to 50"), (String) m.getOutput("error"));
        CommandModule n = commands.run(DenoiseStudyFolderSciJavaCommand.class, true,
                "input", tmp.resolve("missing").toFile(), "output", tmp.resolve("out").toFile()).get();
        assertTrue(((String) n.getOutput("error")).contains("Input folder does not exist"), (String) n.getOutput("error"));
    }

    @Test
    void serviceDenoisesA2dAnd3dImgLib2Image(@TempDir Path tmp) throws Exception {
        SeriesRef ref = Dicom.backend().scan(FijiTestSupport.goodStudy(tmp)).series().get(0);
        RandomAccessibleInterval<FloatType> stack = Dicom.backend().load(ref).pixels();
        // a 16-bit image as a script would hold it (the MR values are small whole numbers)
        ArrayImg<ShortType, ShortArray> shorts = ArrayImgs.shorts(stack.dimension(0), stack.dimension(1), stack.dimension(2));
        Cursor<FloatType> from = Views.flatIterable(stack).cursor();
        for (ShortType t : shorts) t.setReal(from.next().get());
        DenoiseService service = context.getService(DenoiseService.class);

        RandomAccessibleInterval<ShortType> slice = Views.hyperSlice(shorts, 2, 1);
        ImageDenoising two = service.denoise(slice, NoiseFamily.RICIAN_MR, service.defaultSettings().withSamples(2));
        assertArrayEquals(slice.dimensionsAsLongArray(), two.denoised().dimensionsAsLongArray());
        assertNotNull(two.uncertainty(), "several samples give an uncertainty image");
        assertArrayEquals(slice.dimensionsAsLongArray(), two.uncertainty().dimensionsAsLongArray());
        assertEquals(1, two.noiseSigma().length);
        assertTrue(two.noiseSigma()[0] > 0);
        assertTrue(roughness(two.denoised()) < 0.95 * roughness(slice), "denoised: " + roughness(slice) + " -> " + roughness(two.denoised()));
        for (FloatType v : Views.iterable(two.uncertainty())) assertTrue(v.get() >= 0);

        ImageDenoising three = service.denoise(shorts, "MR", 2, 1, 42L);
        assertArrayEquals(shorts.dimensionsAsLongArray(), three.denoised().dimensionsAsLongArray());
        assertNull(three.uncertainty());
        assertEquals(shorts.dimension(2), three.noiseSigma().length);
        assertTrue(roughness(three.denoised()) < 0.95 * roughness(shorts));
        // this real brain MR's noise is spatially correlated (scale-2 / scale-1 ratio 3.6-8.3): the sigma comes with a note;
        // its air is masked to 0, so the note also says the level could not be checked against it
        assertTrue(three.noiseNote() != null && three.noiseNote().contains("noise spatially correlated"), String.valueOf(three.noiseNote()));
        assertTrue(three.noiseNote().contains("no unmasked air to check"), three.noiseNote());
    }

    @Test
    void serviceDenoisesAStudyFolder(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.goodStudy(tmp);
        BatchReport r = context.getService(DenoiseService.class).denoiseStudy(study.toFile(), tmp.resolve("out").toFile(),
                DenoiseSettings.defaults(), false);
        assertEquals(1, r.written(), () -> "results: " + r.results());
        assertEquals(FijiTestSupport.SLICES, FijiTestSupport.dcmCount(r.results().get(0).output()));
    }

    /** Mean absolute difference between horizontal neighbours: falls when noise is removed. */
    static double roughness(RandomAccessibleInterval<? extends RealType<?>> img) {
        RandomAccessibleInterval<? extends RealType<?>> a = Views.zeroMin(img);
        double sum = 0;
        long n = 0;
        Cursor<? extends RealType<?>> c = Views.flatIterable(a).cursor();
        double prev = 0;
        while (c.hasNext()) {
            double v = c.next().getRealDouble();
            if (c.getLongPosition(0) > 0) {
                sum += Math.abs(v - prev);
                n++;
            }
            prev = v;
        }
        return sum / Math.max(1, n);
    }
}
