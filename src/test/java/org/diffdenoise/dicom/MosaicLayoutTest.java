package org.diffdenoise.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;

/** The tiling of a Siemens mosaic, as dcm2niix reads it: ceil(sqrt(n)) tiles a side, row by row, empty tiles last. */
class MosaicLayoutTest {

    @Test
    void theGridIsTheSmallestSquareThatHoldsTheSlices() {
        assertEquals(new MosaicLayout(35, 6, 64, 64), MosaicLayout.of(35, 384, 384));
        assertEquals(new MosaicLayout(81, 9, 150, 152), MosaicLayout.of(81, 1350, 1368));
        assertEquals(new MosaicLayout(20, 5, 72, 72), MosaicLayout.of(20, 360, 360));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MosaicLayout.of(35, 380, 384));
        assertTrue(e.getMessage().contains("does not tile an image of 380 x 384"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MosaicLayout.of(1000, 384, 384));  // a damaged count
        assertTrue(e.getMessage().contains("slices of 12 x 12 pixels"), e.getMessage());
    }

    @Test
    void slicesComeOutRowByRowAndGoBackWithTheEmptyTilesAsTheyWere() {
        MosaicLayout m = new MosaicLayout(5, 3, 2, 3);  // 3 x 3 tiles of 2 x 3, four empty
        ArrayImg<FloatType, FloatArray> images = ArrayImgs.floats(6, 9, 2);
        RandomAccess<FloatType> a = images.randomAccess();
        for (int z = 0; z < 2; z++)
            for (int y = 0; y < 9; y++)
                for (int x = 0; x < 6; x++) {
                    a.setPosition(new int[]{x, y, z});
                    a.get().set(1000 * z + 100 * (3 * (y / 3) + x / 2) + 10 * (y % 3) + x % 2);  // image, tile, row, column
                }
        RandomAccessibleInterval<FloatType> slices = m.unpack(images);
        assertArrayEquals(new long[]{2, 3, 10}, slices.dimensionsAsLongArray());
        RandomAccess<FloatType> s = slices.randomAccess();
        for (int z = 0; z < 10; z++)
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < 2; x++) {
                    s.setPosition(new int[]{x, y, z});
                    assertEquals(1000 * (z / 5) + 100 * (z % 5) + 10 * y + x, s.get().get(), 0);
                }
        // packed again over the source: identical; over nothing: the empty tiles are 0
        assertArrayEquals(images.update(null).getCurrentStorageArray(), values(m.pack(slices, images)), 0);
        float[] bare = values(m.pack(slices, null));
        for (int i = 0; i < bare.length; i++) {
            int x = i % 6, y = (i / 6) % 9;
            boolean empty = 3 * (y / 3) + x / 2 >= 5;
            assertEquals(empty ? 0 : images.update(null).getCurrentStorageArray()[i], bare[i], 0);
        }
        assertThrows(IllegalArgumentException.class, () -> m.pack(ArrayImgs.floats(2, 3, 7), null));
    }

    @Test
    void eachImageIsGivenTheMedianOfItsSlicesValues() {
        MosaicLayout m = MosaicLayout.of(3, 128, 128);
        assertArrayEquals(new double[]{2, 50}, m.perImage(new double[]{3, 1, 2, 100, 50, 7}), 0);
        assertArrayEquals(new double[]{2.5, 6.5}, MosaicLayout.of(4, 128, 128).perImage(new double[]{1, 2, 3, 4, 9, 8, 5, 1}), 0);
        assertThrows(IllegalArgumentException.class, () -> m.perImage(new double[4]));
    }

    private static float[] values(RandomAccessibleInterval<FloatType> img) {
        return ((ArrayImg<FloatType, FloatArray>) img).update(null).getCurrentStorageArray();
    }
}
