package org.diffdenoise.fiji;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;

/**
 * Plugins > Denoising > Diffusion Denoiser > Compare Before/After...: links two open images of the same size (slice,
 * zoom, position, ROI), gives them one display range, optionally adds their difference, and measures the ROI in both.
 * Macro: {@code run("Compare Before/After", "before=[a.dcm] after=[a.dcm (denoised)] difference measure")}.
 */
public final class CompareBeforeAfterCommand implements PlugIn {
    static final String TITLE = "Compare Before/After";

    @Override
    public void run(String arg) {
        RunMode.guarded(TITLE, this::runFromDialog);
    }

    /** The dialog (or the macro's options), then the work. */
    private void runFromDialog() {
        MacroResults.clear();
        int[] ids = WindowManager.getIDList();
        if (ids == null || ids.length < 2) {
            RunMode.error(TITLE, "open two images of the same size first (the original and the denoised one)");
            return;
        }
        String[] titles = new String[ids.length];
        for (int i = 0; i < ids.length; i++) titles[i] = WindowManager.getImage(ids[i]).getTitle();
        GenericDialog gd = new GenericDialog("DiffDenoise - " + TITLE);
        gd.addChoice("Before (original)", titles, titles[0]);
        gd.addChoice("After (denoised)", titles, titles[titles.length - 1]);
        gd.addCheckbox("Difference image (before - after)", DenoiseParameters.remembered("difference", true));
        gd.addCheckbox("Measure the ROI in both", DenoiseParameters.remembered("measure", true));
        gd.showDialog();
        if (gd.wasCanceled()) return;
        ImagePlus before = WindowManager.getImage(ids[gd.getNextChoiceIndex()]);
        ImagePlus after = WindowManager.getImage(ids[gd.getNextChoiceIndex()]);
        boolean difference = gd.getNextBoolean();
        boolean measure = gd.getNextBoolean();
        DenoiseParameters.remember("difference", difference);
        DenoiseParameters.remember("measure", measure);
        if (before == after) {
            RunMode.error(TITLE, "choose two different images");
            return;
        }
        try {
            compare(before, after, difference, measure);
        } catch (IllegalArgumentException e) {
            RunMode.error(TITLE, e.getMessage());
        }
    }

    /** Links the two images (plus the difference when asked) and measures the before image's ROI in both. */
    static void compare(ImagePlus before, ImagePlus after, boolean difference, boolean measure) {
        ImagePlus diff = difference ? BeforeAfterViewer.difference(before.getTitle(), before, after) : null;
        if (!difference && (before.getWidth() != after.getWidth() || before.getHeight() != after.getHeight()
                || before.getStackSize() != after.getStackSize()))
            throw new IllegalArgumentException("\"" + before.getTitle() + "\" and \"" + after.getTitle() + "\" differ in size");
        BeforeAfterViewer.Images images = new BeforeAfterViewer.Images(before, after, diff, null);
        if (!difference) {
            double[] range = BeforeAfterViewer.displayRange(before);
            BeforeAfterViewer.setCalibratedDisplayRange(before, range[0], range[1]);
            BeforeAfterViewer.setCalibratedDisplayRange(after, range[0], range[1]);
            if (RunMode.canShowWindows()) LinkedViews.link(java.util.List.of(before, after));
        } else {
            if (RunMode.canShowWindows()) BeforeAfterViewer.show(images);
        }
        Roi roi = before.getRoi() != null ? before.getRoi() : after.getRoi();
        if (measure && roi != null && roi.isArea()) {
            if (RunMode.unattended()) {
                // macros read the measurements with getResult("Mean", row) from the system Results table
                ResultsTable rt = BeforeAfterViewer.measure(roi, images.all(), ResultsTable.getResultsTable());
                rt.show("Results");
            } else {
                BeforeAfterViewer.measure(roi, images.all()).show(BeforeAfterViewer.ROI_TABLE);
            }
        }
    }
}
