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
        Rectangle previous = null;
        ij.ImageJ bar = ij.IJ.getInstance();
        // start at the left edge below ImageJ's bar, so the row of windows fits on the screen
        int top = bar != null && bar.isShowing() ? bar.getY() + bar.getHeight() + 4 : 40;
        ImageWindow.setNextLocation(4, top);
        for (ImagePlus imp : images.all()) {
            if (imp.getWindow() == null) {
                imp.setTitle(WindowManager.makeUniqueName(imp.getTitle()));
                if (previous != null) ImageWindow.setNextLocation(previous.x + previous.width + 4, previous.y);
                imp.show();
            }
            ImageWindow win = imp.getWindow();
            if (win != null) previous = win.getBounds();
        }
        return LinkedViews.link(images.all());
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
            ImageProcessor ip = imp.getStack().getProcessor(imp.getCurrentSlice());
            ip.setRoi(roi);
            ImageStatistics st = ImageStatistics.getStatistics(ip, ImageStatistics.MEAN | ImageStatistics.STD_DEV | ImageStatistics.AREA, imp.getCalibration());
            ip.resetRoi();
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
