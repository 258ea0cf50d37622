package org.diffdenoise.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;

import net.imglib2.img.array.ArrayImgs;

import org.junit.jupiter.api.Test;

/** The noise-map channel is copied from the array exactly as the mirrored ImgLib2 view reads it. */
class ConditioningTest {

    @Test
    void mapTileEqualsTheMirroredViewEverywhere() {
        SplittableRandom r = new SplittableRandom(2);
        int[][] sizes = {{1, 1}, {1, 7}, {9, 1}, {2, 3}, {17, 5}, {64, 64}, {100, 37}, {256, 256}, {300, 130}};
        for (int[] s : sizes) {
            int w = s[0], h = s[1];
            float[] map = TilingTest.random(w * h, w * 31L + h);
            for (int trial = 0; trial < 12; trial++) {
                // windows inside, across the edges, and far beyond them (tiles larger than small slices)
                int sw = 1 + r.nextInt(3 * w + 8), sh = 1 + r.nextInt(3 * h + 8);
                int x = r.nextInt(-2 * w - 4, 2 * w + 4), y = r.nextInt(-2 * h - 4, 2 * h + 4);
                float[] expected = new float[sw * sh], got = new float[sw * sh];
                Conditioning.readTile(Conditioning.mirrored(ArrayImgs.floats(map, w, h)), x, y, sw, sh, expected);
                Conditioning.mapTile(map, w, h, x, y, sw, sh, got);
                assertArrayEquals(expected, got, w + "x" + h + " window " + sw + "x" + sh + " at " + x + "," + y);
            }
            TileGrid g = TileGrid.of(w, h, 512, 32, 8);
            for (TileGrid.Tile t : g.tiles()) {
                int sw = g.x().span(), sh = g.y().span();
                float[] expected = new float[sw * sh], got = new float[sw * sh];
                Conditioning.readTile(Conditioning.mirrored(ArrayImgs.floats(map, w, h)), t.x(), t.y(), sw, sh, expected);
                Conditioning.mapTile(map, w, h, t.x(), t.y(), sw, sh, got);
                assertArrayEquals(expected, got, w + "x" + h + " tile " + t);
            }
        }
    }
}
