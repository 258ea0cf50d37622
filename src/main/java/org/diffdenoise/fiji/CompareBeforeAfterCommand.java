package org.diffdenoise.fiji;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;

/**
 * Plugins > Denoising > Diffusion Denoiser > Compare Before/After...: links two open images of the same size (slice,
 * zoom, position, ROI), places them side by side at a zoom that fits the screen, gives them one display range,
 * optionally adds their difference, measures the ROI in both, gives the contrast-to-noise ratio of the ROI Manager's
 * first two ROIs (signal, background), and can show both in one window with a draggable split (curtain).
 * Macro: {@code run("Compare Before/After...", "before=[a.dcm] after=[a.dcm (denoised)] difference measure cnr curtain")}.
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
        gd.addCheckbox("CNR: contrast-to-noise ratio (ROI Manager or overlay: 1st = signal, 2nd = background)", DenoiseParameters.remembered("cnr", false));
        gd.addCheckbox("Curtain: one window, original left | denoised right, draggable split", DenoiseParameters.remembered("curtain", false));
        gd.addMessage("Values are in the images' calibrated units (HU for CT, the stored scale for MR).\n"
                + "CNR = |mean(signal) - mean(background)| / SD(background), per image, on the current slice.\n"
                + "The windows stay linked: slice, zoom, position and ROI follow the image you change.");
        gd.addHelp(HELP);
        if (!RunMode.showDialog(gd, TITLE)) return;
        ImagePlus before = WindowManager.getImage(ids[gd.getNextChoiceIndex()]);
        ImagePlus after = WindowManager.getImage(ids[gd.getNextChoiceIndex()]);
        boolean difference = gd.getNextBoolean();
        boolean measure = gd.getNextBoolean();
        boolean cnr = gd.getNextBoolean();
        boolean curtain = gd.getNextBoolean();
        DenoiseParameters.remember("difference", difference);
        DenoiseParameters.remember("measure", measure);
        DenoiseParameters.remember("cnr", cnr);
        DenoiseParameters.remember("curtain", curtain);
        if (before == after) {
            RunMode.error(TITLE, "choose two different images");
            return;
        }
        try {
            compare(before, after, difference, measure);
            if (cnr) contrastToNoise(before, after);
            if (curtain && RunMode.canShowWindows()) CurtainView.of(before, after).show();
        } catch (IllegalArgumentException e) {
            RunMode.error(TITLE, e.getMessage());
        }
    }

    /** Title of the contrast-to-noise table. */
    static final String CNR_TABLE = "DiffDenoise CNR";

    /** The help the dialog's Help button shows. */
    static final String HELP = "<html><h3>Compare Before/After</h3>"
            + "<p><b>Before</b>, <b>After</b>: two open images of the same size (e.g. the original and the result of "
            + "Denoise Current Image). They are linked: slice, zoom, visible area and ROI follow the image you change.</p>"
            + "<p><b>Difference</b>: a third image, before - after (the 'method noise'); structure in it is signal the "
            + "denoiser removed.</p><p><b>Measure</b>: mean, SD and SNR of the ROI in every image, in calibrated units.</p>"
            + "<p><b>CNR</b>: add two ROIs to the ROI Manager (Ctrl+T) or to the original's overlay (Ctrl+B), first the "
            + "signal, then a uniform background: |mean(signal) - mean(background)| / SD(background) in both images.</p>"
            + "<p><b>Curtain</b>: both images in one window, original left, denoised right; drag the yellow line or "
            + "the slider below the image. One display range for both halves.</p></html>";

    /** The contrast-to-noise ratio of the ROI Manager's first two ROIs in both images (table, or Results in a macro). */
    static void contrastToNoise(ImagePlus before, ImagePlus after) {
        // the ROI Manager when it holds two ROIs, else the original's overlay (a headless macro has no ROI Manager:
        // makeRectangle(...); Overlay.addSelection; twice)
        ij.plugin.frame.RoiManager rm = ij.plugin.frame.RoiManager.getRawInstance();
        Roi[] rois = rm == null ? new Roi[0] : rm.getRoisAsArray();
        if (rois.length < 2 && before.getOverlay() != null) rois = before.getOverlay().toArray();
        if (rois.length < 2)
            throw new IllegalArgumentException("CNR needs two ROIs, first the signal, then the background: in the ROI Manager "
                    + "or in the original's overlay (found " + rois.length + ")");
        ResultsTable rt = BeforeAfterViewer.contrastToNoise(rois[0], rois[1], java.util.List.of(before, after));
        if (RunMode.unattended()) {
            ResultsTable results = ResultsTable.getResultsTable();
            results.reset();
            for (int row = 0; row < rt.size(); row++) {
                results.incrementCounter();
                for (String h : rt.getHeadings()) {
                    boolean text = "Image".equals(h) || "Value unit".equals(h);
                    if (text) results.addValue(h, rt.getStringValue(h, row));
                    else results.addValue(h, rt.getValue(h, row));
                }
            }
            results.show("Results");
        } else {
            rt.show(CNR_TABLE);
            java.awt.Window w = ij.WindowManager.getWindow(CNR_TABLE);
            if (w != null) BeforeAfterViewer.placeTable(w, java.util.List.of(before, after), 1);
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
            if (RunMode.canShowWindows()) {
                if (ij.WindowManager.getWindow(BeforeAfterViewer.ROI_TABLE) instanceof ij.text.TextWindow old) old.close(false);
                BeforeAfterViewer.place(java.util.List.of(before, after));
                LinkedViews.link(java.util.List.of(before, after));
            }
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
                java.awt.Window table = ij.WindowManager.getWindow(BeforeAfterViewer.ROI_TABLE);
                if (table != null) BeforeAfterViewer.placeTable(table, images.all());
            }
        }
    }
}
