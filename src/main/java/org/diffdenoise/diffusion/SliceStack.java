package org.diffdenoise.diffusion;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

import org.diffdenoise.noise.RobustNormalization;

/**
 * The input as a zero-based (x, y, slice) stack, a 2D image being one slice deep, with the original's dimensionality
 * and origin so that results can be given back in the input's shape.
 */
record SliceStack(RandomAccessibleInterval<FloatType> voxels, int width, int height, int depth, int inputDimensions,
                  long[] inputMin) {

    /** Above this many voxels the normalization is fitted on an evenly strided subsample. */
    static final long NORMALIZATION_SAMPLE = 1L << 24;

    /** The stack of a 2D image or a 3D stack; IllegalArgumentException for other shapes or oversized slices. */
    static SliceStack of(RandomAccessibleInterval<FloatType> stack) {
        int nd = stack.numDimensions();
        if (nd != 2 && nd != 3) throw new IllegalArgumentException("expected a 2D image or a 3D stack (x, y, slice), got " + nd + " dimensions");
        RandomAccessibleInterval<FloatType> src = Views.zeroMin(stack);
        if (nd == 2) src = Views.addDimension(src, 0, 0);
        long wl = src.dimension(0), hl = src.dimension(1);
        if (wl * hl > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("slice too large: " + wl + "x" + hl);
        return new SliceStack(src, (int) wl, (int) hl, (int) src.dimension(2), nd, stack.minAsLongArray());
    }

    /** A copy of slice z, row-major. */
    float[] slice(int z) {
        return copySlice(voxels, z, width, height);
    }

    /** Fits the normalization on every voxel, or on an evenly strided subsample of very large stacks. */
    RobustNormalization fitNormalization() {
        long n = Intervals.numElements(voxels);
        long stride = Math.max(1, (n + NORMALIZATION_SAMPLE - 1) / NORMALIZATION_SAMPLE);
        float[] v = new float[(int) ((n + stride - 1) / stride)];
        int k = 0;
        long i = 0;
        for (FloatType t : Views.flatIterable(voxels)) {
            if (i++ % stride == 0 && k < v.length) v[k++] = t.get();
        }
        return RobustNormalization.fit(k == v.length ? v : java.util.Arrays.copyOf(v, k));
    }

    /** The normalized, NaN-free view of the stack: the network never sees non-finite values. */
    RandomAccessibleInterval<FloatType> normalized(RobustNormalization norm) {
        return Converters.convert(voxels, (a, b) -> {
            float v = a.get();
            b.set(Float.isFinite(v) ? norm.apply(v) : 0f);
        }, new FloatType());
    }

    /** The same stack with every value passed through {@code f}: a view, computed as it is read (the input is not changed). */
    SliceStack mapped(java.util.function.DoubleUnaryOperator f) {
        RandomAccessibleInterval<FloatType> view = Converters.convert(voxels, (a, b) -> b.set((float) f.applyAsDouble(a.get())), new FloatType());
        return new SliceStack(view, width, height, depth, inputDimensions, inputMin);
    }

    /** The dimensions of a result in the input's shape (2D for a 2D input). */
    long[] outputDimensions() {
        return inputDimensions == 2 ? new long[] {width, height} : new long[] {width, height, depth};
    }

    /** An image of {@link #outputDimensions()} as (x, y, slice). */
    RandomAccessibleInterval<FloatType> asStack(RandomAccessibleInterval<FloatType> img) {
        return inputDimensions == 2 ? Views.addDimension(img, 0, 0) : img;
    }

    /** An image of {@link #outputDimensions()} moved to the input's origin. */
    RandomAccessibleInterval<FloatType> atInputOrigin(RandomAccessibleInterval<FloatType> img) {
        for (long v : inputMin) if (v != 0) return Views.translate(img, inputMin);
        return img;
    }

    static float[] copySlice(RandomAccessibleInterval<FloatType> src, int z, int w, int h) {
        float[] out = new float[w * h];
        Cursor<FloatType> cur = Views.flatIterable(Views.hyperSlice(src, 2, z)).cursor();
        int i = 0;
        while (cur.hasNext()) out[i++] = cur.next().get();
        return out;
    }
}
