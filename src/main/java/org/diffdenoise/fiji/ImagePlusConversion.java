package org.diffdenoise.fiji;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.SliceGeometry;

/** Copies between ImageJ 1 stacks and the float (x, y, slice) images of the pipeline, and derives calibrations. */
public final class ImagePlusConversion {

    private ImagePlusConversion() {
    }

    /**
     * The image's values in calibrated units (the Calibration function, e.g. a 16-bit DICOM's rescale, applied) as a
     * float stack (x, y, slice). Time points count as slices when there is one z slice.
     *
     * @throws IllegalArgumentException for RGB or indexed colour images and for multi-channel or 4D (z and t) images
     */
    public static ArrayImg<FloatType, FloatArray> toCalibratedFloat(ImagePlus imp) {
        checkGrayscale(imp);
        ImageStack stack = imp.getStack();
        int w = imp.getWidth(), h = imp.getHeight(), n = stack.getSize();
        float[] all = new float[w * h * n];
        Calibration cal = imp.getCalibration();
        float[] table = imp.getBitDepth() == 32 ? null : cal.getCTable();
        for (int z = 0; z < n; z++) {
            ImageProcessor ip = stack.getProcessor(z + 1);
            int off = z * w * h;
            if (ip instanceof FloatProcessor fp) {
                System.arraycopy((float[]) fp.getPixels(), 0, all, off, w * h);
            } else {
                for (int i = 0; i < w * h; i++) {
                    int raw = ip.get(i);
                    all[off + i] = table == null ? raw : table[raw];
                }
            }
        }
        return ArrayImgs.floats(all, w, h, n);
    }

    /** Rejects images the denoiser cannot take, naming the image and the reason. */
    static void checkGrayscale(ImagePlus imp) {
        int type = imp.getType();
        if (type == ImagePlus.COLOR_RGB || type == ImagePlus.COLOR_256 || imp.isRGB())
            throw new IllegalArgumentException("\"" + imp.getTitle() + "\" is a colour image; convert it to 8-, 16- or 32-bit grayscale first");
        if (imp.getNChannels() > 1)
            throw new IllegalArgumentException("\"" + imp.getTitle() + "\" has " + imp.getNChannels() + " channels; split the channels (Image > Color > Split Channels) and denoise one at a time");
        if (imp.getNSlices() > 1 && imp.getNFrames() > 1)
            throw new IllegalArgumentException("\"" + imp.getTitle() + "\" has both z slices and time points; denoise one time point at a time (Image > Duplicate)");
    }

    /** A 32-bit stack holding {@code img} (x, y[, slice]), with a copy of {@code calibration}. */
    public static ImagePlus toImagePlus(String title, RandomAccessibleInterval<FloatType> img, Calibration calibration) {
        RandomAccessibleInterval<FloatType> zeroMin = Views.zeroMin(img);
        int w = (int) zeroMin.dimension(0), h = (int) zeroMin.dimension(1);
        int n = zeroMin.numDimensions() > 2 ? (int) zeroMin.dimension(2) : 1;
        ImageStack stack = new ImageStack(w, h);
        for (int z = 0; z < n; z++) {
            RandomAccessibleInterval<FloatType> slice = zeroMin.numDimensions() > 2 ? Views.hyperSlice(zeroMin, 2, z) : zeroMin;
            float[] pixels = new float[w * h];
            int i = 0;
            for (FloatType t : Views.flatIterable(slice)) pixels[i++] = t.get();
            stack.addSlice(null, pixels);
        }
        ImagePlus imp = new ImagePlus(title, stack);
        if (calibration != null) imp.setCalibration(floatCalibration(calibration));
        return imp;
    }

    /**
     * A copy of {@code c} for a 32-bit image holding calibrated values: spatial calibration and value unit kept,
     * the 8/16-bit value function dropped (the values already are in its units).
     */
    public static Calibration floatCalibration(Calibration c) {
        Calibration copy = c.copy();
        String valueUnit = c.getValueUnit();
        copy.disableDensityCalibration();
        copy.setValueUnit(valueUnit);
        return copy;
    }

    /**
     * The calibration of a decoded DICOM series: pixel size from Pixel Spacing (column spacing is the pixel width),
     * slice spacing from the Image Position (Patient) of neighbouring slices (Slice Thickness when positions are
     * missing), unit mm, value unit from the modality ("HU" for CT).
     */
    public static Calibration calibration(DicomSeries series) {
        Calibration cal = new Calibration();
        double[] spacing = series.pixelSpacing();
        if (spacing != null && spacing.length == 2 && spacing[0] > 0 && spacing[1] > 0) {
            cal.pixelHeight = spacing[0];
            cal.pixelWidth = spacing[1];
            double dz = sliceSpacing(series.geometry());
            cal.pixelDepth = Double.isNaN(dz) ? 1 : dz;
            cal.setUnit("mm");
        }
        cal.setValueUnit(valueUnit(series.ref().modality()));
        return cal;
    }

    /** The value unit of a modality's pixels after the rescale: "HU" for CT, "" (arbitrary units) otherwise. */
    public static String valueUnit(String modality) {
        return modality != null && "CT".equals(modality.trim().toUpperCase(Locale.ROOT)) ? "HU" : "";
    }

    /** The median distance between neighbouring slice positions along the normal, the slice thickness, or NaN. */
    static double sliceSpacing(List<SliceGeometry> geometry) {
        if (geometry.isEmpty()) return Double.NaN;
        double[] normal = geometry.get(0).normal();
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < geometry.size(); i++) {
            double d = Math.abs(geometry.get(i).positionAlong(normal) - geometry.get(i - 1).positionAlong(normal));
            if (Double.isFinite(d) && d > 0) gaps.add(d);
        }
        if (!gaps.isEmpty()) {
            double[] g = gaps.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(g);
            return g[g.length / 2];
        }
        double t = geometry.get(0).sliceThickness();
        return t > 0 ? t : Double.NaN;
    }

    private static final java.util.regex.Pattern POSITION = java.util.regex.Pattern.compile("0020,0032[^:\\n]*:\\s*([^\\n]+)");
    private static final java.util.regex.Pattern ORIENTATION = java.util.regex.Pattern.compile("0020,0037[^:\\n]*:\\s*([^\\n]+)");

    /**
     * Slice geometry from the DICOM header text ImageJ's DICOM reader puts in each slice label (Image Position and
     * Orientation (Patient)), in stack order; a slice without them gets no position or orientation.
     */
    static List<SliceGeometry> geometryFromSliceLabels(ImagePlus imp) {
        List<SliceGeometry> out = new java.util.ArrayList<>();
        ij.ImageStack stack = imp.getStack();
        for (int i = 1; i <= stack.getSize(); i++) {
            String label = stack.getSliceLabel(i);
            double[] ipp = label == null ? null : numbers(POSITION.matcher(label), 3);
            double[] iop = label == null ? null : numbers(ORIENTATION.matcher(label), 6);
            out.add(new SliceGeometry(null, i, null, null, i, ipp, iop, null, Double.NaN));
        }
        return out;
    }

    private static double[] numbers(java.util.regex.Matcher m, int n) {
        if (!m.find()) return null;
        String[] parts = m.group(1).trim().split("\\\\");
        if (parts.length != n) return null;
        double[] v = new double[n];
        try {
            for (int k = 0; k < n; k++) v[k] = Double.parseDouble(parts[k].trim());
        } catch (NumberFormatException e) {
            return null;
        }
        return v;
    }
}
