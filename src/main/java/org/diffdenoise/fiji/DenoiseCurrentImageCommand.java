package org.diffdenoise.fiji;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.io.FileInfo;
import ij.measure.Calibration;
import ij.plugin.PlugIn;
import ij.util.DicomTools;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.CancelledException;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.dicom.StudyScan;
import org.diffdenoise.pipeline.BatchOptions;
import org.diffdenoise.pipeline.SeriesOutcome;
import org.diffdenoise.pipeline.SeriesResult;
import org.diffdenoise.pipeline.SeriesStatus;
import org.diffdenoise.pipeline.StudyDenoiser;

/**
 * Plugins > Denoising > Diffusion Denoiser > Denoise Current Image...: any open 8/16/32-bit 2D image or stack into a
 * new 32-bit image in calibrated (modality) units. When the image was opened from DICOM it can also be saved as a
 * derived series; that run reads the series itself so that the derived instances match their sources slice by slice.
 */
public final class DenoiseCurrentImageCommand implements PlugIn {
    static final String TITLE = "Denoise Current Image";
    static final String[] MODALITIES = {"MR", "CT", "CR", "DX", "XA", "RF", "MG", "OT"};

    @Override
    public void run(String arg) {
        RunMode.guarded(TITLE, this::runFromDialog);
    }

    /** The dialog (or the macro's options), then the work. */
    private void runFromDialog() {
        MacroResults.clear();
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) {
            RunMode.error(TITLE, "no image is open");
            return;
        }
        try {
            ImagePlusConversion.checkGrayscale(imp);
        } catch (IllegalArgumentException e) {
            RunMode.error(TITLE, e.getMessage());
            return;
        }
        String dicomModality = dicomTag(imp, "0008,0060");
        String modality = dicomModality != null ? dicomModality : DenoiseParameters.remembered("modality", "MR");
        GenericDialog gd = new GenericDialog("DiffDenoise - " + TITLE);
        gd.addMessage("\"" + imp.getTitle() + "\": " + imp.getWidth() + "x" + imp.getHeight() + "x" + imp.getStackSize() + ", " + imp.getBitDepth() + "-bit");
        String unit = imp.getCalibration().getValueUnit();
        DenoiseParameters.addFields(gd, unit == null || unit.isBlank() || "Gray Value".equals(unit) ? "image values" : unit);
        gd.addChoice("Modality (noise model)", MODALITIES, List.of(MODALITIES).contains(modality) ? modality : "OT");
        gd.addCheckbox("Compare with the original", DenoiseParameters.remembered("compare", true));
        gd.addCheckbox("Save as derived DICOM series (DICOM images only)", false);
        RunMode.addFolderField(gd, "Output (for the derived series)", DenoiseParameters.remembered("series_output", ""));
        gd.addHelp(DenoiseParameters.help(TITLE, "The active image (8, 16 or 32-bit, 2D or a stack) is denoised in its "
                + "calibrated values (Analyze > Calibrate; DICOM rescale) into a new 32-bit image titled \"... (denoised)\". "
                + "<b>Modality</b> picks the noise model: MR Rician, CR/DX/XA/RF/MG Poisson-Gaussian, CT and OT Gaussian. "
                + "<b>Compare</b> opens the before/after viewer. <b>Save</b> (an image opened from DICOM) writes a derived "
                + "series to <b>Output</b>, read from the image's own files so that each derived slice matches its source."));
        if (!RunMode.showDialog(gd, TITLE)) return;
        DenoiseParameters params;
        try {
            params = DenoiseParameters.read(gd);
        } catch (IllegalArgumentException e) {
            RunMode.error(TITLE, e.getMessage());
            return;
        }
        modality = gd.getNextChoice();
        boolean compare = gd.getNextBoolean();
        boolean save = gd.getNextBoolean();
        String output = gd.getNextString().trim();
        if (!RunMode.fromMacro()) {
            params.remember();
            DenoiseParameters.remember("modality", modality);
            DenoiseParameters.remember("compare", compare);
        }
        if (save) saveAsDerived(imp, params, output, compare);
        else denoiseInMemory(imp, params, modality, compare);
    }

    /**
     * Why the neighbouring images of a stack are not spatial neighbours, or null when they may be: a hyperstack
     * with several channels or time points (stack order interleaves them), or DICOM slice labels whose geometry
     * says other echoes/phases at one position or other planes.
     */
    static String noContextReason(ImagePlus imp) {
        if (imp.getNChannels() > 1) return "a hyperstack with " + imp.getNChannels() + " channels";
        if (imp.getNFrames() > 1) return "a hyperstack with " + imp.getNFrames() + " time points";
        if (!org.diffdenoise.dicom.SliceOrder.neighboursAreSpatial(ImagePlusConversion.geometryFromSliceLabels(imp)))
            return "neighbouring slices are not adjacent positions of one orientation (e.g. several echoes)";
        return null;
    }

    /** Denoises the image's calibrated values and shows the result as a new 32-bit image. */
    static ImagePlus denoiseInMemory(ImagePlus imp, DenoiseParameters params, String modality, boolean compare) {
        ImagePlus[] images = denoiseInMemory(imp, params, modality, compare, true);
        return images == null ? null : images[0];
    }

    /**
     * Denoises the image's calibrated values into a new 32-bit image and, with several samples, their SD image
     * (both null when it failed; the failure is reported). {@code display}: show them (a SciJava caller gets them back).
     */
    static ImagePlus[] denoiseInMemory(ImagePlus imp, DenoiseParameters params, String modality, boolean compare, boolean display) {
        CancelToken cancel = new CancelToken();
        IjProgress progress = new IjProgress(cancel);
        DenoiseResult result;
        org.diffdenoise.api.DenoiseSettings settings = params.settings();
        // a DICOM stack whose neighbouring slices are other echoes/phases at one position, or other planes, gets no
        // neighbour context (as the DICOM pipeline does; docs/diffusion.md)
        String why = imp.getStackSize() > 1 && settings.sliceContext() ? noContextReason(imp) : null;
        if (why != null) {
            settings = settings.withSliceContext(false);
            IJ.log("DiffDenoise: \"" + imp.getTitle() + "\": " + why + "; each slice is denoised without its neighbours");
        }
        // a Siemens mosaic (ImageJ shows it as one image) is denoised slice by slice, as the DICOM pipeline does
        org.diffdenoise.dicom.MosaicLayout mosaic = mosaicOf(imp);
        if (mosaic != null) IJ.log("DiffDenoise: \"" + imp.getTitle() + "\": " + org.diffdenoise.pipeline.MosaicSlices.note(mosaic));
        try (Denoiser denoiser = DenoiserSource.create(params.method(), params.model())) {
            var pixels = ImagePlusConversion.toCalibratedFloat(imp);
            result = denoiser.denoise(mosaic == null ? pixels : mosaic.unpack(pixels), NoiseFamily.forModality(modality),
                    settings, progress.forSingleImage(imp.getTitle()), cancel);
            if (mosaic != null) result = org.diffdenoise.pipeline.MosaicSlices.packed(mosaic, pixels, result);
        } catch (CancelledException e) {
            progress.finished("DiffDenoise: cancelled");
            MacroResults.recordSingle(false, true, null, "cancelled");
            IJ.log("DiffDenoise: " + imp.getTitle() + " cancelled; no image created");
            return null;
        } catch (org.diffdenoise.api.NothingToDenoiseException e) {
            progress.finished("");
            String message = "\"" + imp.getTitle() + "\": " + e.getMessage() + "; no image created" + (e.levelHelps() ? " (set Noise sigma to denoise it anyway)" : "");
            MacroResults.recordSingle(false, false, null, message);
            RunMode.error(TITLE, message);
            return null;
        } catch (RuntimeException | OutOfMemoryError e) {
            progress.finished("");
            String reason = org.diffdenoise.api.ErrorText.of(e);
            MacroResults.recordSingle(false, false, null, reason);
            RunMode.error(TITLE, "\"" + imp.getTitle() + "\": " + reason);
            return null;
        }
        Calibration cal = ImagePlusConversion.floatCalibration(imp.getCalibration());
        if ("CT".equals(modality)) cal.setValueUnit("HU");
        // results at several strengths, side by side, say which is which
        String strength = settings.strength() == org.diffdenoise.api.DenoiseSettings.DEFAULT_STRENGTH ? ""
                : ", strength " + settings.strength();
        ImagePlus out = ImagePlusConversion.toImagePlus(imp.getTitle() + " (denoised" + strength + ")", result.denoised(), cal);
        ImagePlus unc = result.uncertainty() == null ? null
                : ImagePlusConversion.toImagePlus(imp.getTitle() + " (uncertainty, " + result.uncertaintyLabel(params.settings().samples()) + ")", result.uncertainty(), cal);
        MacroResults.recordSingle(true, false, null, "denoised " + imp.getTitle());
        progress.finished("DiffDenoise: denoised " + imp.getTitle());
        if (!display) {
            double[] range = BeforeAfterViewer.displayRange(imp);
            out.setDisplayRange(range[0], range[1]);
        } else if (compare && RunMode.canShowWindows()) {
            BeforeAfterViewer.show(BeforeAfterViewer.images(imp, out, unc));
        } else {
            double[] range = BeforeAfterViewer.displayRange(imp);
            out.setDisplayRange(range[0], range[1]);
            out.show();
            if (unc != null) unc.show();
        }
        return new ImagePlus[] {out, unc};
    }

    /** Finds the image's DICOM series on disk, denoises it through the pipeline and writes the derived series. */
    static void saveAsDerived(ImagePlus imp, DenoiseParameters params, String output, boolean compare) {
        FileInfo fi = imp.getOriginalFileInfo();
        String uid = dicomTag(imp, "0020,000E");
        if (fi == null || fi.directory == null || uid == null) {
            RunMode.error(TITLE, "\"" + imp.getTitle() + "\" was not opened from a DICOM file, so it cannot be saved as a derived series; untick 'Save' or use Denoise DICOM Series...");
            return;
        }
        Path folder = Paths.get(fi.directory);
        Path source = imp.getStackSize() == 1 && fi.fileName != null && Files.isRegularFile(folder.resolve(fi.fileName))
                ? folder.resolve(fi.fileName) : folder;
        Path out;
        try {
            out = DenoiseStudyFolderCommand.checkOutput(folder, output);
        } catch (IllegalArgumentException e) {
            RunMode.error(TITLE, e.getMessage());
            return;
        }
        StudyDenoiser pipeline = new StudyDenoiser(Dicom.backend(), DenoiserSource.supplier(params.method(), params.model()));
        try {
            StudyScan scan = pipeline.scan(source);
            SeriesRef ref = scan.series().stream().filter(s -> s.seriesInstanceUid().equals(uid)).findFirst().orElse(null);
            if (ref == null) {
                RunMode.error(TITLE, "the series " + uid + " of \"" + imp.getTitle() + "\" was not found in " + source);
                return;
            }
            if (ref.slices() != imp.getStackSize()) {
                RunMode.error(TITLE, "\"" + imp.getTitle() + "\" has " + imp.getStackSize() + " slice(s) but its series in " + source
                        + " has " + ref.slices() + "; open the whole series or use Denoise DICOM Series...");
                return;
            }
            CancelToken cancel = new CancelToken();
            IjProgress progress = new IjProgress(cancel);
            progress.seriesStarted(0, 1, ref);
            SeriesOutcome o = pipeline.denoiseSeries(ref, out, new BatchOptions(params.settings(), false, Set.of(uid)), progress, 0, 1, cancel, true);
            SeriesResult r = o.result();
            progress.seriesFinished(0, 1, r);
            progress.finished("DiffDenoise: " + r.status().name().toLowerCase(Locale.ROOT));
            MacroResults.record(List.of(r), scan.skipped().size());
            if (r.status() == SeriesStatus.FAILED) RunMode.error(TITLE, r.message());
            if (r.status() != SeriesStatus.WRITTEN) return;
            BeforeAfterViewer.Images images = BeforeAfterViewer.images(BeforeAfterViewer.seriesName(ref), o.source(), o.denoised(), params.settings().samples());
            if (compare && RunMode.canShowWindows()) BeforeAfterViewer.show(images);
            else images.after().show();
        } catch (IOException e) {
            RunMode.error(TITLE, "cannot read " + source + ": " + e.getMessage());
        } finally {
            pipeline.close();
        }
    }

    /**
     * The tiling of an image opened from a Siemens mosaic file (read from that file's header; the image must have the
     * mosaic's size), or null.
     */
    static org.diffdenoise.dicom.MosaicLayout mosaicOf(ImagePlus imp) {
        FileInfo fi = imp.getOriginalFileInfo();
        if (fi == null || fi.directory == null || fi.fileName == null || dicomTag(imp, "0008,0008") == null) return null;
        Path file = Paths.get(fi.directory).resolve(fi.fileName);
        if (!Files.isRegularFile(file)) return null;
        return Dicom.backend().mosaicLayout(file)
                .filter(m -> m.gridSize() * m.tileWidth() == imp.getWidth() && m.gridSize() * m.tileHeight() == imp.getHeight())
                .orElse(null);
    }

    /** A DICOM header value of an image opened by ImageJ's DICOM reader, or null. */
    static String dicomTag(ImagePlus imp, String tag) {
        String info = imp.getInfoProperty();
        if (info == null || !info.contains(tag)) return null;
        String v = DicomTools.getTag(imp, tag);
        return v == null || v.isBlank() ? null : v.trim();
    }

}
