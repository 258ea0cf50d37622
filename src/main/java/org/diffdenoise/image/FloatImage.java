package org.diffdenoise.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import net.imglib2.Cursor;

import java.util.ArrayList;
import java.util.List;

/**
 * A 2D float image, row-major (index = y * width + x), in the units of its source (modality values).
 *
 * @param width  number of columns
 * @param height number of rows
 * @param data   width*height pixel values
 */
public record FloatImage(int width, int height, float[] data) {

    public FloatImage {
        if (width < 1 || height < 1) throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        if (data.length != width * height)
            throw new IllegalArgumentException("expected " + width * height + " values, got " + data.length);
    }

    public static FloatImage zeros(int width, int height) {
        return new FloatImage(width, height, new float[width * height]);
    }

    public float get(int x, int y) {
        return data[y * width + x];
    }

    public FloatImage copy() {
        return new FloatImage(width, height, data.clone());
    }

    public double min() {
        double m = Double.POSITIVE_INFINITY;
        for (float v : data) m = Math.min(m, v);
        return m;
    }

    public double max() {
        double m = Double.NEGATIVE_INFINITY;
        for (float v : data) m = Math.max(m, v);
        return m;
    }

    /** max - min, the data range used by PSNR and SSIM. */
    public double range() {
        return max() - min();
    }

    /** max - min over several slices (a series' range, as noise levels in % of range are defined on). */
    public static double range(java.util.List<FloatImage> slices) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (FloatImage s : slices) {
            lo = Math.min(lo, s.min());
            hi = Math.max(hi, s.max());
        }
        return hi - lo;
    }

    /** A sub-window [x0, x0+w) x [y0, y0+h). */
    public FloatImage crop(int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || x0 + w > width || y0 + h > height)
            throw new IllegalArgumentException("crop " + x0 + "," + y0 + " " + w + "x" + h + " outside " + width + "x" + height);
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) System.arraycopy(data, (y0 + y) * width + x0, out, y * w, w);
        return new FloatImage(w, h, out);
    }

    /** The central w x h window (clamped to the image). */
    public FloatImage centerCrop(int w, int h) {
        int cw = Math.min(w, width), ch = Math.min(h, height);
        return crop((width - cw) / 2, (height - ch) / 2, cw, ch);
    }

    /** Stacks same-sized slices into an ImgLib2 image (x, y, slice) that owns a copy of the data. */
    public static ArrayImg<FloatType, FloatArray> toStack(List<FloatImage> slices) {
        int w = slices.get(0).width, h = slices.get(0).height;
        float[] all = new float[w * h * slices.size()];
        for (int z = 0; z < slices.size(); z++) {
            FloatImage s = slices.get(z);
            if (s.width != w || s.height != h) throw new IllegalArgumentException("slices differ in size");
            System.arraycopy(s.data, 0, all, z * w * h, w * h);
        }
        return ArrayImgs.floats(all, w, h, slices.size());
    }

    /** Splits an (x, y[, slice]) image into 2D slices (copies). */
    public static List<FloatImage> fromStack(RandomAccessibleInterval<FloatType> stack) {
        int w = (int) stack.dimension(0), h = (int) stack.dimension(1);
        int n = stack.numDimensions() > 2 ? (int) stack.dimension(2) : 1;
        List<FloatImage> out = new ArrayList<>(n);
        for (int z = 0; z < n; z++) {
            RandomAccessibleInterval<FloatType> plane = stack.numDimensions() > 2
                    ? Views.hyperSlice(stack, 2, stack.min(2) + z) : stack;
            float[] d = new float[w * h];
            Cursor<FloatType> c = Views.flatIterable(plane).cursor();
            int i = 0;
            while (c.hasNext()) d[i++] = c.next().get();
            out.add(new FloatImage(w, h, d));
        }
        return out;
    }
}
