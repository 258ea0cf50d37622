package org.diffdenoise.fiji;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.gui.ImageWindow;
import ij.gui.Roi;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ImageStatistics;

import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.dicom.DicomSeries;

/**
 * The before/after viewer: original, denoised, method noise (original - denoised) and, with several samples, the
 * uncertainty map, as calibrated stacks with one display range, linked in slice, zoom, position and ROI; the ROI's
 * mean, SD and SNR in every linked image go to the "DiffDenoise ROI" results table.
 */
public final class BeforeAfterViewer {
    /** Title of the ROI measurement table. */
    public static final String ROI_TABLE = "DiffDenoise ROI";

    private BeforeAfterViewer() {
    }

    /** The images of one comparison: before, after, their difference, and the uncertainty (or null). */
    public record Images(ImagePlus before, ImagePlus after, ImagePlus difference, ImagePlus uncertainty) {
        /** The images in display order, without nulls. */
        public List<ImagePlus> all() {
            List<ImagePlus> l = new ArrayList<>();
            for (ImagePlus imp : Arrays.asList(before, after, difference, uncertainty)) if (imp != null) l.add(imp);
            return l;
        }
    }

    /** Builds the calibrated images of a denoised DICOM series (not shown yet). */
    public static Images images(String name, DicomSeries source, DenoiseResult result, int samples) {
        Calibration cal = ImagePlusConversion.calibration(source);
        ImagePlus before = ImagePlusConversion.toImagePlus(name + " - original", source.pixels(), cal);
        ImagePlus after = ImagePlusConversion.toImagePlus(name + " - denoised", result.denoised(), cal);
        ImagePlus unc = result.uncertainty() == null ? null
                : ImagePlusConversion.toImagePlus(name + " - uncertainty (" + result.uncertaintyLabel(samples) + ")", result.uncertainty(), cal);
        return new Images(before, after, difference(name, before, after), unc);
    }

    /** Builds the images for a denoised ImagePlus (Denoise Current Image); {@code before} is the calibrated input. */
    public static Images images(ImagePlus before, ImagePlus after, ImagePlus uncertainty) {
        return new Images(before, after, difference(before.getTitle(), before, after), uncertainty);
    }

    /**
     * Original minus denoised in calibrated units, slice by slice (the "method noise"): structure in it is signal
     * the denoiser removed.
     */
    public static ImagePlus difference(String name, ImagePlus before, ImagePlus after) {
        int w = before.getWidth(), h = before.getHeight(), n = before.getStackSize();
        if (after.getWidth() != w || after.getHeight() != h || after.getStackSize() != n)
            throw new IllegalArgumentException("\"" + before.getTitle() + "\" (" + w + "x" + h + "x" + n + ") and \"" + after.getTitle()
                    + "\" (" + after.getWidth() + "x" + after.getHeight() + "x" + after.getStackSize() + ") differ in size");
        float[] a = ImagePlusConversion.toCalibratedFloat(before).update(null).getCurrentStorageArray();
        float[] b = ImagePlusConversion.toCalibratedFloat(after).update(null).getCurrentStorageArray();
        ImageStack stack = new ImageStack(w, h);
        for (int z = 0; z < n; z++) {
            float[] d = new float[w * h];
            for (int i = 0, o = z * w * h; i < d.length; i++) d[i] = a[o + i] - b[o + i];
            stack.addSlice(null, new FloatProcessor(w, h, d));
        }
        ImagePlus diff = new ImagePlus(name + " - method noise (original - denoised)", stack);
        diff.setCalibration(ImagePlusConversion.floatCalibration(before.getCalibration()));
        double sd = stackSd(diff);
        diff.setDisplayRange(-3 * sd, 3 * sd);
        return diff;
    }

    /** Sets a display range given in calibrated units, also on 8/16-bit images with a value calibration. */
    public static void setCalibratedDisplayRange(ImagePlus imp, double lo, double hi) {
        Calibration cal = imp.getCalibration();
        if (imp.getBitDepth() == 32 || !cal.calibrated()) imp.setDisplayRange(lo, hi);
        else imp.setDisplayRange(cal.getRawValue(lo), cal.getRawValue(hi));
    }

    /**
     * Shows the images side by side with the before image's display range on before and after, and links them.
     * In batch mode the images are only registered with the macro interpreter; headless, nothing is shown and
     * null is returned.
     */
    public static LinkedViews show(Images images) {
        if (!RunMode.canShowWindows()) return null;
        double[] range = displayRange(images.before());
        setCalibratedDisplayRange(images.before(), range[0], range[1]);
        setCalibratedDisplayRange(images.after(), range[0], range[1]);
        if (images.uncertainty() != null) {
            double[] u = displayRange(images.uncertainty());
            images.uncertainty().setDisplayRange(0, u[1]);
        }
        // a new pair starts with an empty ROI table (not the previous pair's rows)
        if (WindowManager.getWindow(ROI_TABLE) instanceof ij.text.TextWindow old) old.close(false);
        place(images.all());
        return LinkedViews.link(images.all());
    }

    /**
     * Shows the images (those not shown yet) in a grid that fits the screen below ImageJ's bar, side by side where
     * they fit, every one at the same ImageJ zoom level, none hiding another.
     */
    static WindowLayout place(List<ImagePlus> all) {
        Rectangle screen = usableScreen();
        ImagePlus first = all.get(0);
        boolean stack = all.stream().anyMatch(i -> i.getStackSize() > 1);
        WindowLayout layout = WindowLayout.of(all.size(), first.getWidth(), first.getHeight(), screen,
                new java.awt.Dimension(DECORATION_WIDTH, stack ? DECORATION_HEIGHT_STACK : DECORATION_HEIGHT));
        int x = screen.x, y = screen.y, rowBottom = screen.y;
        for (int i = 0; i < all.size(); i++) {
            ImagePlus imp = all.get(i);
            if (i > 0 && i % layout.columns() == 0) {
                x = screen.x;
                y = rowBottom + WindowLayout.GAP;
            }
            if (imp.getWindow() == null) {
                imp.setTitle(WindowManager.makeUniqueName(imp.getTitle()));
                ImageWindow.setNextLocation(x, y);
                imp.show();
            }
            ImageWindow win = imp.getWindow();
            if (win == null) continue;
            ij.gui.ImageCanvas c = win.getCanvas();
            double mag = layout.magnification();
            c.setMagnification(mag);
            c.setSize((int) Math.round(imp.getWidth() * mag), (int) Math.round(imp.getHeight() * mag));
            c.setSourceRect(new Rectangle(0, 0, imp.getWidth(), imp.getHeight()));
            win.pack();
            win.setLocation(x, y);
            // the next window starts where this one really ends (decorations differ between window managers)
            x += win.getWidth() + WindowLayout.GAP;
            rowBottom = Math.max(rowBottom, y + win.getHeight());
        }
        return layout;
    }

    /** What an image window adds around its canvas: borders, title bar, info line, slice slider (estimates). */
    private static final int DECORATION_WIDTH = 24, DECORATION_HEIGHT = 64, DECORATION_HEIGHT_STACK = 84;

    /** The screen below ImageJ's bar (its whole area when the bar is not showing). */
    static Rectangle usableScreen() {
        Rectangle screen = ij.gui.GUI.getMaxWindowBounds();
        ij.ImageJ bar = ij.IJ.getInstance();
        if (bar != null && bar.isShowing()) {
            int top = Math.max(screen.y, bar.getY() + bar.getHeight() + WindowLayout.GAP);
            screen = new Rectangle(screen.x, top, screen.width, screen.y + screen.height - top);
        }
        return screen;
    }

    /**
     * Places the ROI table below the viewer's windows when it fits there, else to their right, wide enough for all
     * its columns.
     */
    static void placeTable(java.awt.Window table, List<ImagePlus> images) {
        placeTable(table, images, 0);
    }

    /**
     * The same for the {@code slot}-th table of a view (0: ROI table, 1: CNR table): the second goes beside the first
     * below the windows when there is room, else to the right of the windows, below the first's place.
     */
    static void placeTable(java.awt.Window table, List<ImagePlus> images, int slot) {
        Rectangle all = null;
        for (ImagePlus imp : images)
            if (imp.getWindow() != null) all = all == null ? imp.getWindow().getBounds() : all.union(imp.getWindow().getBounds());
        Rectangle screen = usableScreen();
        // two tables (ROI, CNR) fit side by side below the windows
        int width = Math.min(TABLE_WIDTH, (screen.width - WindowLayout.GAP) / 2);
        int height = Math.min(TABLE_HEIGHT, screen.height);
        table.setSize(width, height);
        if (all == null) return;
        int belowX = all.x + slot * (width + WindowLayout.GAP), rightY = all.y + slot * (height + WindowLayout.GAP);
        if (all.y + all.height + WindowLayout.GAP + height <= screen.y + screen.height && belowX + width <= screen.x + screen.width)
            table.setLocation(belowX, all.y + all.height + WindowLayout.GAP);
        else if (all.x + all.width + WindowLayout.GAP + width <= screen.x + screen.width && rightY + height <= screen.y + screen.height)
            table.setLocation(all.x + all.width + WindowLayout.GAP, rightY);
        else
            table.setLocation(screen.x + screen.width - width, screen.y + screen.height - height);
    }

    private static final int TABLE_WIDTH = 900, TABLE_HEIGHT = 190;

    /**
     * The contrast-to-noise ratio between a signal and a background ROI on the current slice of each image:
     * |mean(signal) - mean(background)| / SD(background), the measure denoising papers report; one row per image with
     * the two means ("Signal", "Background"), "Background SD" and "CNR".
     */
    public static ResultsTable contrastToNoise(Roi signal, Roi background, List<ImagePlus> images) {
        if (signal == null || background == null || !signal.isArea() || !background.isArea())
            throw new IllegalArgumentException("the contrast-to-noise ratio needs two area ROIs: the signal and the background");
        ResultsTable rt = new ResultsTable();
        for (ImagePlus imp : images) {
            ImageStatistics s = roiStatistics(imp, signal), b = roiStatistics(imp, background);
            rt.incrementCounter();
            rt.addValue("Image", imp.getTitle());
            rt.addValue("Slice", imp.getCurrentSlice());
            rt.addValue("Signal", s.mean);
            rt.addValue("Background", b.mean);
            rt.addValue("Background SD", b.stdDev);
            rt.addValue("CNR", b.stdDev > 0 ? Math.abs(s.mean - b.mean) / b.stdDev : Double.NaN);
            String unit = imp.getCalibration().getValueUnit();
            rt.addValue("Value unit", unit == null ? "" : unit);
        }
        return rt;
    }

    private static ImageStatistics roiStatistics(ImagePlus imp, Roi roi) {
        ImageProcessor ip = imp.getStack().getProcessor(imp.getCurrentSlice());
        ip.setRoi(roi);
        ImageStatistics st = ImageStatistics.getStatistics(ip, ImageStatistics.MEAN | ImageStatistics.STD_DEV | ImageStatistics.AREA, imp.getCalibration());
        ip.resetRoi();
        return st;
    }

    /** The 0.5 and 99.5 percentiles of a stack's calibrated values: robust to the few extreme pixels DICOM images often have. */
    public static double[] displayRange(ImagePlus imp) {
        float[] all = ImagePlusConversion.toCalibratedFloat(imp).update(null).getCurrentStorageArray();
        int stride = Math.max(1, all.length / 1_000_000);
        float[] sample = new float[(all.length + stride - 1) / stride];
        int k = 0;
        for (int i = 0; i < all.length; i += stride) if (Float.isFinite(all[i])) sample[k++] = all[i];
        if (k == 0) return new double[] {0, 1};
        float[] s = Arrays.copyOf(sample, k);
        Arrays.sort(s);
        double lo = s[(int) Math.floor(0.005 * (k - 1))], hi = s[(int) Math.ceil(0.995 * (k - 1))];
        if (hi <= lo) hi = lo + 1;
        return new double[] {lo, hi};
    }

    private static double stackSd(ImagePlus imp) {
        double sum = 0, sum2 = 0;
        long n = 0;
        for (int z = 1; z <= imp.getStackSize(); z++) {
            float[] p = (float[]) imp.getStack().getProcessor(z).getPixels();
            for (float v : p) {
                if (!Float.isFinite(v)) continue;
                sum += v;
                sum2 += (double) v * v;
                n++;
            }
        }
        if (n < 2) return 1;
        double sd = Math.sqrt(Math.max(0, (sum2 - sum * sum / n) / (n - 1)));
        return sd > 0 ? sd : 1;
    }

    /**
     * Measures {@code roi} on the current slice of each image: one row per image with Mean, SD, SNR (mean / SD) and
     * the pixel count, in the images' calibrated value units.
     */
    public static ResultsTable measure(Roi roi, List<ImagePlus> images) {
        return measure(roi, images, new ResultsTable());
    }

    /** The same, written into {@code rt} (e.g. the system Results table a macro reads with getResult). */
    public static ResultsTable measure(Roi roi, List<ImagePlus> images, ResultsTable rt) {
        rt.reset();
        for (ImagePlus imp : images) {
            ImageStatistics st = roiStatistics(imp, roi);
            rt.incrementCounter();
            rt.addValue("Image", imp.getTitle());
            rt.addValue("Slice", imp.getCurrentSlice());
            rt.addValue("Mean", st.mean);
            rt.addValue("SD", st.stdDev);
            rt.addValue("SNR", st.stdDev > 0 ? st.mean / st.stdDev : Double.NaN);
            rt.addValue("Pixels", st.pixelCount);
            String unit = imp.getCalibration().getValueUnit();
            rt.addValue("Value unit", unit == null ? "" : unit);
        }
        rt.setDecimalPlaces(rt.getColumnIndex("Mean"), 3);
        return rt;
    }

    /** A short name for a series' windows: modality, number and description. */
    static String seriesName(org.diffdenoise.dicom.SeriesRef ref) {
        String desc = ref.seriesDescription() == null || ref.seriesDescription().isBlank() ? "" : " " + ref.seriesDescription().trim();
        String name = String.format(Locale.ROOT, "%s %s%s", ref.modality() == null ? "" : ref.modality(),
                ref.seriesNumber() == null ? "" : "#" + ref.seriesNumber(), desc).trim();
        return name.isEmpty() ? "series" : name;
    }
}
