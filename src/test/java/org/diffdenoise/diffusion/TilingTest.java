package org.diffdenoise.diffusion;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;

import net.imglib2.RandomAccessible;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.junit.jupiter.api.Test;

class TilingTest {

    @Test
    void gridCoversImageWithRequestedOverlap() {
        // 1000 px needs 5 tiles of at most 256 overlapping by 32 (4 cover only 928); (1000 + 4 * 32) / 5 = 225.6,
        // rounded up to a multiple of 16: 5 tiles of 240, evenly spread
        TileGrid g = TileGrid.of(1000, 300, 256, 32, 16);
        assertArrayEquals(new int[] {0, 190, 380, 570, 760}, g.x().origins());
        assertEquals(240, g.x().span());
        // 300 px: 2 tiles of (300 + 32) / 2 = 166 -> 176
        assertArrayEquals(new int[] {0, 124}, g.y().origins());
        assertEquals(176, g.y().span());
        assertEquals(10, g.size());
        // the default tiling of a 1024^2 image: 3 x 3 tiles of 368 instead of 512 (half the pixels through the network)
        TileGrid d = TileGrid.of(1024, 1024, 512, 32, 8);
        assertEquals(9, d.size());
        assertEquals(368, d.x().span());
        // smaller than a tile: one tile, padded to the multiple
        TileGrid s = TileGrid.of(100, 37, 256, 32, 16);
        assertEquals(1, s.size());
        assertEquals(112, s.x().span());
        assertEquals(100, s.x().valid());
        assertEquals(48, s.y().span());
        // tile size not a multiple: rounded down to one (240), then balanced: 5 tiles of (1000 + 80) / 5 = 216 -> 224
        assertEquals(224, TileGrid.of(1000, 1000, 250, 20, 16).x().span());
    }

    @Test
    void fewestTilesOfAtMostTheTileSizeOverlappingByAtLeastTheOverlap() {
        for (int size = 1; size <= 5000; size += 7) {
            for (int[] c : new int[][] {{512, 32, 8}, {256, 64, 16}, {100, 0, 4}, {64, 32, 8}}) {
                int t = c[0], ov = c[1], m = c[2];
                TileGrid.Axis a = TileGrid.of(size, 1, t, ov, m).x();
                int n = a.origins().length;
                String what = size + " px, tile " + t + ", overlap " + ov;
                assertTrue(a.span() <= Math.max(t, (size + m - 1) / m * m) && a.span() % m == 0, what);
                assertEquals(0, a.origins()[0], what);
                assertEquals(size, a.origins()[n - 1] + a.valid(), what + ": last tile ends at the border");
                for (int i = 1; i < n; i++)
                    assertTrue(a.origins()[i - 1] + a.valid() - a.origins()[i] >= ov, what + ": overlap at tile " + i);
                // one tile fewer of full size could not cover the axis
                if (n > 1) assertTrue((n - 1) * t - (n - 2) * ov < size, what + ": " + n + " tiles is not the fewest");
                // and no smaller multiple of m would do with n tiles
                if (n > 1) assertTrue(n * (a.span() - m) - (n - 1) * ov < size, what + ": span " + a.span() + " not the smallest");
            }
        }
    }

    @Test
    void weightsArePositiveRamps() {
        assertTrue(TileBlender.ramp(0, 32) > 0);
        assertTrue(TileBlender.ramp(0, 32) < TileBlender.ramp(16, 32));
        assertEquals(1.0, TileBlender.ramp(32, 32));
        assertEquals(1.0, TileBlender.ramp(0, 0));
    }

    @Test
    void identityTilesReproduceImageBitForBit() {
        int[][] cases = {{200, 150, 64, 16, 16}, {64, 64, 64, 0, 16}, {65, 63, 64, 32, 8}, {333, 97, 96, 47, 32},
                {17, 5, 64, 8, 16}, {1, 1, 64, 0, 8}, {517, 260, 128, 64, 1}, {300, 301, 100, 0, 4}};
        for (int[] c : cases) {
            int w = c[0], h = c[1];
            float[] img = random(w * h, w * 31L + h);
            TileGrid g = TileGrid.of(w, h, c[2], c[3], c[4]);
            float[] out = blendIdentity(img, w, h, g);
            for (int i = 0; i < img.length; i++)
                assertEquals(Float.floatToIntBits(img[i]), Float.floatToIntBits(out[i]),
                        "pixel " + i + " of " + w + "x" + h + " tile " + c[2] + " overlap " + c[3]);
        }
    }

    @Test
    void seamsBlendSmoothly() {
        // every tile returns a constant equal to its index: across an overlap the result ramps between the two
        int w = 300, h = 64;
        TileGrid g = TileGrid.of(w, h, 128, 32, 16);
        TileBlender b = new TileBlender(g);
        int m = g.x().span() * g.y().span();
        for (TileGrid.Tile t : g.tiles()) {
            float[] v = new float[m];
            java.util.Arrays.fill(v, t.index());
            b.add(t, v, 0);
        }
        float[] out = b.result();
        float prev = out[0];
        for (int x = 1; x < w; x++) {
            assertTrue(out[x] >= prev - 1e-6, "monotone across seams at x=" + x);
            assertTrue(out[x] - prev < 0.2, "no jump at x=" + x);
            prev = out[x];
        }
    }

    @Test
    void largeImageStaysExact() {
        int w = 4096, h = 4096;
        float[] img = random(w * h, 7);
        TileGrid g = TileGrid.of(w, h, 512, 64, 16);
        float[] out = blendIdentity(img, w, h, g);
        for (int i = 0; i < img.length; i++) if (img[i] != out[i]) fail("pixel " + i + " differs");
    }

    static float[] blendIdentity(float[] img, int w, int h, TileGrid g) {
        RandomAccessible<FloatType> ext = Conditioning.mirrored(ArrayImgs.floats(img, w, h));
        TileBlender b = new TileBlender(g);
        float[] tile = new float[g.x().span() * g.y().span()];
        for (TileGrid.Tile t : g.tiles()) {
            Conditioning.readTile(ext, t.x(), t.y(), g.x().span(), g.y().span(), tile);
            b.add(t, tile, 0);
        }
        return b.result();
    }

    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * 1000 - 200);
        return v;
    }
}
