package org.diffdenoise.dicom;

import java.util.Arrays;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * A Siemens mosaic: the slices of one volume tiled row by row, left to right, into one stored image of
 * {@code gridSize x gridSize} tiles; the tiles after the last slice are empty. The tiling is the one every mosaic
 * reader uses (dcm2niix, nibabel): {@code gridSize = ceil(sqrt(slices))}.
 *
 * @param slices     slices per stored image (Siemens' NumberOfImagesInMosaic)
 * @param gridSize   tiles per row and per column of the stored image
 * @param tileWidth  columns of one slice
 * @param tileHeight rows of one slice
 */
public record MosaicLayout(int slices, int gridSize, int tileWidth, int tileHeight) {

    public MosaicLayout {
        if (slices < 1 || gridSize < 1 || slices > gridSize * gridSize || tileWidth < 1 || tileHeight < 1)
            throw new IllegalArgumentException("not a mosaic: " + slices + " slices in " + gridSize + "x" + gridSize
                    + " tiles of " + tileWidth + "x" + tileHeight);
    }

    /**
     * The layout of {@code slices} slices in a stored image of {@code columns x rows}, or why there is none (a
     * {@link IllegalArgumentException} whose message says so in words).
     */
    public static MosaicLayout of(int slices, int columns, int rows) {
        if (slices < 1) throw new IllegalArgumentException("the number of images in the mosaic is " + slices);
        int grid = (int) Math.ceil(Math.sqrt(slices));
        if (columns % grid != 0 || rows % grid != 0)
            throw new IllegalArgumentException("a mosaic of " + slices + " images (" + grid + " x " + grid
                    + " tiles) does not tile an image of " + columns + " x " + rows + " pixels");
        if (columns / grid < MIN_TILE || rows / grid < MIN_TILE)
            throw new IllegalArgumentException("a mosaic of " + slices + " images would hold slices of " + columns / grid
                    + " x " + rows / grid + " pixels (a real one has at least " + MIN_TILE + "): the count is damaged");
        return new MosaicLayout(slices, grid, columns / grid, rows / grid);
    }

    /** Smallest slice edge of a mosaic that is read as one (scanners' mosaics hold slices of 64 pixels and more). */
    public static final int MIN_TILE = 32;

    /** The slices of every stored image, in order: (x, y, image) to (x, y, image * slices + slice). */
    public RandomAccessibleInterval<FloatType> unpack(RandomAccessibleInterval<FloatType> images) {
        int n = depth(images);
        ArrayImg<FloatType, FloatArray> out = ArrayImgs.floats(tileWidth, tileHeight, (long) n * slices);
        RandomAccess<FloatType> in = images.randomAccess();
        Cursor<FloatType> c = out.localizingCursor();
        while (c.hasNext()) {
            c.fwd();
            int z = c.getIntPosition(2);
            in.setPosition(new long[]{images.min(0) + tileX(z % slices) + c.getLongPosition(0),
                    images.min(1) + tileY(z % slices) + c.getLongPosition(1),
                    images.min(2) + z / slices});
            c.get().set(in.get());
        }
        return out;
    }

    /**
     * The stored images again from their slices ({@link #unpack}'s output shape); the empty tiles are taken from
     * {@code background} (the source images), or 0 when it is null.
     */
    public RandomAccessibleInterval<FloatType> pack(RandomAccessibleInterval<FloatType> slicesStack,
                                                    RandomAccessibleInterval<FloatType> background) {
        int n = depth(slicesStack) / slices;
        if ((long) n * slices != depth(slicesStack) || slicesStack.dimension(0) != tileWidth
                || slicesStack.dimension(1) != tileHeight)
            throw new IllegalArgumentException("not the slices of this mosaic: " + Arrays.toString(slicesStack.dimensionsAsLongArray()));
        ArrayImg<FloatType, FloatArray> out = ArrayImgs.floats((long) tileWidth * gridSize, (long) tileHeight * gridSize, n);
        if (background != null) {
            Cursor<FloatType> o = out.cursor();
            Cursor<FloatType> b = Views.flatIterable(background).cursor();
            while (o.hasNext()) o.next().set(b.next());
        }
        RandomAccess<FloatType> o = out.randomAccess();
        Cursor<FloatType> c = Views.flatIterable(slicesStack).localizingCursor();
        long[] min = slicesStack.minAsLongArray();
        while (c.hasNext()) {
            c.fwd();
            int z = (int) (c.getLongPosition(2) - min[2]);
            o.setPosition(new long[]{tileX(z % slices) + c.getLongPosition(0) - min[0],
                    tileY(z % slices) + c.getLongPosition(1) - min[1], z / slices});
            o.get().set(c.get());
        }
        return out;
    }

    /** One value per stored image from one per slice: the median of its slices' values. */
    public double[] perImage(double[] perSlice) {
        if (perSlice.length % slices != 0)
            throw new IllegalArgumentException(perSlice.length + " values for images of " + slices + " slices");
        double[] out = new double[perSlice.length / slices];
        for (int i = 0; i < out.length; i++) {
            double[] v = Arrays.copyOfRange(perSlice, i * slices, (i + 1) * slices);
            Arrays.sort(v);
            out[i] = v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
        }
        return out;
    }

    /** In words, e.g. "35 slices of 64 x 64 per image". */
    public String describe() {
        return slices + " slices of " + tileWidth + " x " + tileHeight + " per image";
    }

    private long tileX(int slice) {
        return (long) (slice % gridSize) * tileWidth;
    }

    private long tileY(int slice) {
        return (long) (slice / gridSize) * tileHeight;
    }

    private static int depth(RandomAccessibleInterval<FloatType> img) {
        return img.numDimensions() < 3 ? 1 : (int) img.dimension(2);
    }
}
