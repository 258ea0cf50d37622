package org.diffdenoise.diffusion;

import java.util.ArrayList;
import java.util.List;

/**
 * Tiles covering a width x height image with the requested tile size and overlap. Every tile has the same network
 * extent (a multiple of the network's size multiple) so tiles of a stack can be batched; an image axis smaller than
 * a tile gets one tile whose extent is padded up to the multiple (the padding is read from a mirrored view and
 * discarded). Tiles are the Cartesian product of the per-axis layouts, so blending weights are separable.
 *
 * @param width  image width
 * @param height image height
 * @param x      layout along x
 * @param y      layout along y
 */
public record TileGrid(int width, int height, Axis x, Axis y) {

    /**
     * Tile positions along one axis.
     *
     * @param origins tile starts in image coordinates, ascending
     * @param span    pixels the network sees per tile along this axis (a multiple of the size multiple)
     * @param valid   pixels of the image a tile covers, min(span, image size); the rest is mirrored padding
     * @param overlap ramp length used for blending (requested overlap, at most valid / 2)
     */
    public record Axis(int[] origins, int span, int valid, int overlap) {
    }

    /** One tile: its index in the grid and its origin in image coordinates. */
    public record Tile(int index, int x, int y) {
    }

    /** Lays out tiles of (at most) {@code tileSize} with {@code overlap} for an image, respecting {@code sizeMultiple}. */
    public static TileGrid of(int width, int height, int tileSize, int overlap, int sizeMultiple) {
        if (width < 1 || height < 1) throw new IllegalArgumentException("empty image " + width + "x" + height);
        if (sizeMultiple < 1) throw new IllegalArgumentException("size multiple must be >= 1: " + sizeMultiple);
        if (tileSize < 1 || overlap < 0) throw new IllegalArgumentException("bad tiling " + tileSize + "/" + overlap);
        int t = Math.max(sizeMultiple, tileSize / sizeMultiple * sizeMultiple);
        return new TileGrid(width, height, axis(width, t, overlap, sizeMultiple), axis(height, t, overlap, sizeMultiple));
    }

    private static Axis axis(int size, int t, int overlap, int m) {
        if (size <= t) {
            int span = (size + m - 1) / m * m;
            return new Axis(new int[] {0}, span, size, 0);
        }
        int ov = Math.min(overlap, t / 2);
        int stride = t - ov;
        List<Integer> o = new ArrayList<>();
        for (int p = 0; p + t < size; p += stride) o.add(p);
        o.add(size - t); // last tile flush with the border, so no tile leaves the image
        int[] origins = o.stream().mapToInt(Integer::intValue).distinct().toArray();
        return new Axis(origins, t, t, ov);
    }

    /** Number of tiles. */
    public int size() {
        return x.origins().length * y.origins().length;
    }

    /** The tile with the given index (row-major over the y and x layouts). */
    public Tile tile(int index) {
        int nx = x.origins().length;
        return new Tile(index, x.origins()[index % nx], y.origins()[index / nx]);
    }

    /** All tiles in index order. */
    public List<Tile> tiles() {
        List<Tile> l = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) l.add(tile(i));
        return l;
    }
}
