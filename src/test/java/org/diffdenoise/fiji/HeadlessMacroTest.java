package org.diffdenoise.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import net.imagej.patcher.LegacyEnvironment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the recorded macro commands in a headless, patched ImageJ 1 on a real study folder. */
class HeadlessMacroTest {
    static LegacyEnvironment env;

    @BeforeAll
    static void startImageJ() throws Exception {
        env = FijiTestSupport.headlessImageJ();
        env.runMacro("print(\"ImageJ \" + getVersion());", ""); // builds the menus
    }

    /** ImageJ read plugins.config from the plugin jar: each command maps to its class, and nothing else is ours. */
    @Test
    void pluginsConfigInstallsOneCommandPerAction() throws Exception {
        Map<?, ?> commands = (Map<?, ?>) env.getClassLoader().loadClass("ij.Menus").getMethod("getCommands").invoke(null);
        Map<String, String> expected = Map.of(
                "Denoise DICOM Series...", DenoiseDicomSeriesCommand.class.getName(),
                "Denoise Study Folder (Batch)...", DenoiseStudyFolderCommand.class.getName(),
                "Denoise Current Image...", DenoiseCurrentImageCommand.class.getName(),
                "Compare Before/After...", CompareBeforeAfterCommand.class.getName(),
                "Model Info...", ModelInfoCommand.class.getName());
        expected.forEach((cmd, cls) -> assertEquals(cls, commands.get(cmd), "command " + cmd));
        long ours = commands.values().stream().filter(v -> String.valueOf(v).startsWith("org.diffdenoise")).count();
        assertEquals(5, ours, "one command per action: " + commands);
    }

    @Test
    void batchMacroWritesTheGoodSeriesAndReportsTheBrokenOne(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.studyWithBrokenSeries(tmp);
        Path out = tmp.resolve("out");
        Path results = tmp.resolve("results.txt");
        String macro = "run(\"Denoise Study Folder (Batch)...\", \"input=[" + FijiTestSupport.macroPath(study) + "] output=["
                + FijiTestSupport.macroPath(out) + "] steps=2 samples=1 seed=42 noise_sigma=[] method=diffusion model=[]\");\n"
                + "File.saveString(call(\"org.diffdenoise.fiji.MacroResults.written\") + \" \" + call(\"org.diffdenoise.fiji.MacroResults.failed\")"
                + " + \"\\n\" + call(\"org.diffdenoise.fiji.MacroResults.report\"), \"" + FijiTestSupport.macroPath(results) + "\");\n";
        env.runMacro(macro, "");
        String text = Files.readString(results);
        assertTrue(text.startsWith("1 1\n"), text);
        assertTrue(text.contains("FAILED") && text.contains("MR_truncated.dcm"), text);
        List<Path> derived = FijiTestSupport.derivedSeries(out);
        assertEquals(1, derived.size(), "derived series: " + derived);
        assertEquals(FijiTestSupport.SLICES, FijiTestSupport.dcmCount(derived.get(0)));
    }

    @Test
    void adaptKeyReachesTheDenoiser(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.goodStudy(tmp);
        Path out = tmp.resolve("out");
        Path results = tmp.resolve("results.txt");
        env.runMacro("run(\"Denoise Study Folder (Batch)...\", \"input=[" + FijiTestSupport.macroPath(study) + "] output=["
                + FijiTestSupport.macroPath(out) + "] steps=1 method=diffusion adapt\");\n"
                + "File.saveString(call(\"org.diffdenoise.fiji.MacroResults.report\"), \"" + FijiTestSupport.macroPath(results) + "\");\n", "");
        String text = Files.readString(results);
        assertTrue(text.contains("WRITTEN") && text.contains("adaptation: test denoiser asked to adapt"), text);
    }

    @Test
    void keepCoilFloorKeyReachesTheDenoiserAndIsOffByDefault(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.goodStudy(tmp);
        for (boolean keep : new boolean[] {true, false}) {
            Path out = tmp.resolve("out-" + keep), results = tmp.resolve("results-" + keep + ".txt");
            env.runMacro("run(\"Denoise Study Folder (Batch)...\", \"input=[" + FijiTestSupport.macroPath(study) + "] output=["
                    + FijiTestSupport.macroPath(out) + "] steps=1 method=diffusion" + (keep ? " keep_coil_floor" : "") + "\");\n"
                    + "File.saveString(call(\"org.diffdenoise.fiji.MacroResults.report\"), \"" + FijiTestSupport.macroPath(results) + "\");\n", "");
            String text = Files.readString(results);
            assertTrue(text.contains("WRITTEN"), text);
            assertEquals(keep, text.contains("test denoiser asked to keep the coil floor"), text);
        }
    }

    @Test
    void strengthKeyReachesTheBatchAndIsOneByDefault(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.goodStudy(tmp);
        for (String strength : new String[] {" strength=0.5", ""}) {
            Path out = tmp.resolve("out" + strength.length()), results = tmp.resolve("results" + strength.length() + ".txt");
            env.runMacro("run(\"Denoise Study Folder (Batch)...\", \"input=[" + FijiTestSupport.macroPath(study) + "] output=["
                    + FijiTestSupport.macroPath(out) + "] steps=1 method=diffusion" + strength + "\");\n"
                    + "File.saveString(call(\"org.diffdenoise.fiji.MacroResults.report\"), \"" + FijiTestSupport.macroPath(results) + "\");\n", "");
            String text = Files.readString(results);
            assertTrue(text.contains("WRITTEN"), text);
            assertEquals(!strength.isEmpty(), text.contains("strength 0.500 (times the noise level)"), text);
        }
    }

    @Test
    void severalSamplesWriteAnUncertaintySeriesThatMacrosCanFind(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.goodStudy(tmp);
        Path out = tmp.resolve("out");
        String text = runForText(tmp, "run(\"Denoise Study Folder (Batch)...\", \"input=[" + FijiTestSupport.macroPath(study)
                + "] output=[" + FijiTestSupport.macroPath(out) + "] steps=2 samples=2 seed=7 noise_sigma=[] method=diffusion model=[]\");\n",
                "call(\"org.diffdenoise.fiji.MacroResults.outputs\") + \"|\" + call(\"org.diffdenoise.fiji.MacroResults.uncertaintyOutputs\")");
        String[] parts = text.trim().split("\\|");
        assertEquals(2, parts.length, text);
        Path denoised = Path.of(parts[0]), sd = Path.of(parts[1]);
        assertTrue(sd.getFileName().toString().contains("DiffDenoise-SD"), text);
        assertEquals(FijiTestSupport.SLICES, FijiTestSupport.dcmCount(denoised));
        assertEquals(FijiTestSupport.SLICES, FijiTestSupport.dcmCount(sd));
        assertEquals(2, FijiTestSupport.derivedSeries(out).size());
    }

    /** Two good series and one broken: one denoiser serves the whole batch and is closed once at the end. */
    @Test
    void oneDenoiserServesTheWholeBatchAndIsClosed(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.studyWithBrokenSeries(tmp);
        // CT_small: MR_small would join MR_truncated's series (the truncated file is a copy of it)
        Path second = Files.createDirectories(study.resolve("ct"));
        Files.copy(FijiTestSupport.externalData().resolve("pydicom").resolve("CT_small.dcm"), second.resolve("CT_small.dcm"));
        Path out = tmp.resolve("out");
        String text = runForText(tmp, "call(\"org.diffdenoise.fiji.SmoothingTestDenoiser.reset\");\n"
                + "run(\"Denoise Study Folder (Batch)...\", \"input=[" + FijiTestSupport.macroPath(study) + "] output=["
                + FijiTestSupport.macroPath(out) + "] steps=1\");\n",
                "call(\"org.diffdenoise.fiji.MacroResults.written\") + \" \" + call(\"org.diffdenoise.fiji.MacroResults.failed\") + \" \" + call(\"org.diffdenoise.fiji.SmoothingTestDenoiser.counts\")");
        assertEquals("2 1 1 1 2", text.trim());
        assertEquals(2, FijiTestSupport.derivedSeries(out).size());
    }

    @Test
    void badParametersAreLoggedNotShownAndNothingIsWritten(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.goodStudy(tmp);
        Path out = tmp.resolve("out");
        String error = "call(\"org.diffdenoise.fiji.MacroResults.error\")";
        String steps = runForText(tmp, "run(\"Denoise Study Folder (Batch)...\", \"input=[" + FijiTestSupport.macroPath(study)
                + "] output=[" + FijiTestSupport.macroPath(out) + "] steps=0\");\n", error);
        assertTrue(steps.contains("Steps must be a whole number from 1 to 50, got 0"), steps);
        String samples = runForText(tmp, "run(\"Denoise Study Folder (Batch)...\", \"input=[" + FijiTestSupport.macroPath(study)
                + "] output=[" + FijiTestSupport.macroPath(out) + "] samples=33\");\n", error);
        assertTrue(samples.contains("Samples must be a whole number from 1 to 32, got 33"), samples);
        String inside = runForText(tmp, "run(\"Denoise Study Folder (Batch)...\", \"input=[" + FijiTestSupport.macroPath(study)
                + "] output=[" + FijiTestSupport.macroPath(study.resolve("derived")) + "]\");\n", error);
        assertTrue(inside.contains("must not be inside the input folder"), inside);
        String missing = runForText(tmp, "run(\"Denoise Study Folder (Batch)...\", \"input=[" + FijiTestSupport.macroPath(tmp.resolve("nope"))
                + "] output=[" + FijiTestSupport.macroPath(out) + "]\");\n", error);
        assertTrue(missing.contains("Input folder does not exist"), missing);
        assertTrue(!Files.exists(out) && !Files.exists(study.resolve("derived")), "nothing may be written");
    }

    /** Esc pressed after the first slice: the series is CANCELLED and no derived series (not even a folder) is left. */
    @Test
    void escapeCancelsBetweenSlicesAndLeavesNoOutput(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.goodStudy(tmp);
        Path out = tmp.resolve("out");
        System.setProperty("diffdenoise.test.escapeAfterSlice", "1");
        String text;
        try {
            text = runForText(tmp, "run(\"Denoise Study Folder (Batch)...\", \"input=[" + FijiTestSupport.macroPath(study)
                    + "] output=[" + FijiTestSupport.macroPath(out) + "] steps=1\");\n",
                    "call(\"org.diffdenoise.fiji.MacroResults.written\") + \" \" + call(\"org.diffdenoise.fiji.MacroResults.notRun\") + \"\\n\" + call(\"org.diffdenoise.fiji.MacroResults.report\")");
        } finally {
            System.clearProperty("diffdenoise.test.escapeAfterSlice");
        }
        assertTrue(text.startsWith("0 1\nCANCELLED"), text);
        assertTrue(!Files.exists(out) || FijiTestSupport.derivedSeries(out).isEmpty(), "no derived series after cancel");
        if (Files.exists(out)) try (var l = Files.list(out)) {
            assertEquals(List.of(), l.toList(), "no partial folder after cancel");
        }
    }

    /** One series picked from a study by UID and by index; the other is left alone. */
    @Test
    void seriesCommandPicksOneSeriesByUidOrIndex(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.goodStudy(tmp);
        Path second = Files.createDirectories(study.resolve("mr2"));
        Files.copy(FijiTestSupport.externalData().resolve("pydicom").resolve("MR_small.dcm"), second.resolve("MR_small.dcm"));
        List<org.diffdenoise.dicom.SeriesRef> series = org.diffdenoise.dicom.Dicom.backend().scan(study).series();
        assertEquals(2, series.size());
        org.diffdenoise.dicom.SeriesRef small = series.stream().filter(s -> s.slices() == 1).findFirst().orElseThrow();
        Path out1 = tmp.resolve("out1");
        String byUid = runForText(tmp, "run(\"Denoise DICOM Series...\", \"input=[" + FijiTestSupport.macroPath(study) + "] output=["
                + FijiTestSupport.macroPath(out1) + "] steps=1 series=[" + small.seriesInstanceUid() + "]\");\n",
                "call(\"org.diffdenoise.fiji.MacroResults.written\") + \" \" + call(\"org.diffdenoise.fiji.MacroResults.outputs\")");
        assertTrue(byUid.startsWith("1 "), byUid);
        List<Path> d1 = FijiTestSupport.derivedSeries(out1);
        assertEquals(1, d1.size());
        assertEquals(1, FijiTestSupport.dcmCount(d1.get(0)));
        Path out2 = tmp.resolve("out2");
        int index = series.indexOf(small) == 0 ? 2 : 1;
        runForText(tmp, "run(\"Denoise DICOM Series...\", \"input=[" + FijiTestSupport.macroPath(study) + "] output=["
                + FijiTestSupport.macroPath(out2) + "] steps=1 series=" + index + "\");\n", "\"\"");
        List<Path> d2 = FijiTestSupport.derivedSeries(out2);
        assertEquals(1, d2.size());
        assertEquals(FijiTestSupport.SLICES, FijiTestSupport.dcmCount(d2.get(0)));
        String ambiguous = runForText(tmp, "run(\"Denoise DICOM Series...\", \"input=[" + FijiTestSupport.macroPath(study) + "] steps=1\");\n",
                "call(\"org.diffdenoise.fiji.MacroResults.error\")");
        assertTrue(ambiguous.contains("holds 2 series; name one with series="), ambiguous);
    }

    /**
     * A signed 16-bit CT opened with File > Open: the result is 32-bit, in HU (ImageJ's calibration function applied),
     * calibrated like the input; the test denoiser's 3x3 mean is checked against the calibrated input.
     */
    @Test
    void currentImageIsDenoisedInModalityUnits(@TempDir Path tmp) throws Exception {
        Path ct = FijiTestSupport.externalData().resolve("pydicom").resolve("CT_small.dcm");
        Path tif = tmp.resolve("denoised.tif");
        String info = runForText(tmp, "setBatchMode(true);\nopen(\"" + FijiTestSupport.macroPath(ct) + "\");\n"
                + "run(\"Denoise Current Image...\", \"steps=1 samples=1 modality=CT\");\n"
                + "title = getTitle();\nsaveAs(\"Tiff\", \"" + FijiTestSupport.macroPath(tif) + "\");\n",
                "title + \"|\" + bitDepth() + \"|\" + call(\"org.diffdenoise.fiji.MacroResults.written\")");
        assertEquals("CT_small.dcm (denoised)|32|1", info.trim());
        ij.ImagePlus original = ij.IJ.openImage(ct.toString());
        ij.ImagePlus denoised = ij.IJ.openImage(tif.toString());
        assertEquals(32, denoised.getBitDepth());
        assertEquals(original.getCalibration().pixelWidth, denoised.getCalibration().pixelWidth, 1e-5);
        assertEquals(original.getCalibration().getUnit(), denoised.getCalibration().getUnit());
        assertEquals("HU", denoised.getCalibration().getValueUnit());
        ij.process.ImageProcessor ip = original.getProcessor();
        assertTrue(original.getCalibration().calibrated(), "CT_small opens with a calibration function");
        for (int[] xy : new int[][] {{10, 10}, {32, 40}, {60, 20}}) {
            double sum = 0;
            for (int dy = -1; dy <= 1; dy++) for (int dx = -1; dx <= 1; dx++) sum += original.getCalibration().getCValue(ip.get(xy[0] + dx, xy[1] + dy));
            assertEquals(sum / 9, denoised.getProcessor().getf(xy[0], xy[1]), 1e-3, "pixel " + xy[0] + "," + xy[1]);
        }
    }

    /** Compare Before/After... in a macro: the ROI measured in before, after and their difference, into Results. */
    @Test
    void compareMeasuresTheRoiInBothImages(@TempDir Path tmp) throws Exception {
        Path ct = FijiTestSupport.externalData().resolve("pydicom").resolve("CT_small.dcm");
        String text = runForText(tmp, "setBatchMode(true);\nopen(\"" + FijiTestSupport.macroPath(ct) + "\");\n"
                + "run(\"Denoise Current Image...\", \"steps=1 method=gaussian modality=CT\");\n"
                + "selectImage(\"CT_small.dcm\");\nmakeRectangle(16, 16, 32, 32);\n"
                + "run(\"Compare Before/After...\", \"before=[CT_small.dcm] after=[CT_small.dcm (denoised)] difference measure\");\n",
                "\"\" + nResults + \" \" + getResult(\"SD\", 0) + \" \" + getResult(\"SD\", 1) + \" \" + getResultString(\"Image\", 2) + \" \" + getResult(\"SNR\", 0)");
        String[] v = text.trim().split(" ", 4);
        assertEquals("3", v[0], text);
        assertTrue(Double.parseDouble(v[2]) < Double.parseDouble(v[1]), "the blur lowers the SD: " + text);
        assertTrue(v[3].contains("method noise"), text);
    }

    /** A DICOM opened with File > Open, denoised and saved as a derived series next to nothing in its folder. */
    @Test
    void currentDicomImageCanBeSavedAsDerivedSeries(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("in"));
        Path mr = Files.copy(FijiTestSupport.externalData().resolve("pydicom").resolve("MR_small.dcm"), dir.resolve("MR_small.dcm"));
        Path out = tmp.resolve("out");
        String text = runForText(tmp, "setBatchMode(true);\nopen(\"" + FijiTestSupport.macroPath(mr) + "\");\n"
                + "run(\"Denoise Current Image...\", \"steps=1 method=median modality=MR save output=[" + FijiTestSupport.macroPath(out) + "]\");\n",
                "call(\"org.diffdenoise.fiji.MacroResults.written\") + \" \" + call(\"org.diffdenoise.fiji.MacroResults.error\") + \" \" + nImages");
        assertTrue(text.startsWith("1 "), text);
        List<Path> derived = FijiTestSupport.derivedSeries(out);
        assertEquals(1, derived.size());
        assertEquals(1, FijiTestSupport.dcmCount(derived.get(0)));
    }

    @Test
    void modelInfoLogsWithoutAWindow(@TempDir Path tmp) throws Exception {
        String info = runForText(tmp, "run(\"Model Info...\", \"model=[]\");\n", "call(\"org.diffdenoise.fiji.MacroResults.modelInfo\")");
        assertTrue(info.contains("DiffDenoise") && info.contains("Model: smoothing-test 1"), info);
        assertTrue(info.contains("Self-check: synthetic 128x128 MR-like slice, Rician 5 %: PSNR noisy"), info);
    }

    /** Runs {@code macro}, then saves the value of the macro expression {@code result} to a file and returns it. */
    static String runForText(Path tmp, String macro, String result) throws Exception {
        Path file = Files.createTempFile(tmp, "result", ".txt");
        env.runMacro(macro + "File.saveString(" + result + ", \"" + FijiTestSupport.macroPath(file) + "\");\n", "");
        return Files.readString(file);
    }
}
