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

    /**
     * Lays out tiles of at most {@code tileSize} (rounded down to {@code sizeMultiple}) overlapping by at least
     * {@code overlap}: per axis the fewest tiles that cover it, each as small as that allows, evenly spread.
     */
    public static TileGrid of(int width, int height, int tileSize, int overlap, int sizeMultiple) {
        if (width < 1 || height < 1) throw new IllegalArgumentException("empty image " + width + "x" + height);
        if (sizeMultiple < 1) throw new IllegalArgumentException("size multiple must be >= 1: " + sizeMultiple);
        if (tileSize < 1 || overlap < 0) throw new IllegalArgumentException("bad tiling " + tileSize + "/" + overlap);
        int t = Math.max(sizeMultiple, tileSize / sizeMultiple * sizeMultiple);
        return new TileGrid(width, height, axis(width, t, overlap, sizeMultiple), axis(height, t, overlap, sizeMultiple));
    }

    // Balanced layout: the fewest tiles of at most t that cover the axis with at least the overlap, then the
    // smallest span (a multiple of m) that still does, spread evenly. 1024 px with t = 512 and overlap 32 needs 3
    // tiles either way; 3 x 368 px costs 28 % less network time per axis than 3 x 512.
    private static Axis axis(int size, int t, int overlap, int m) {
        if (size <= t) {
            int span = (size + m - 1) / m * m;
            return new Axis(new int[] {0}, span, size, 0);
        }
        int ov = Math.min(overlap, t / 2);
        int n = (size - ov + (t - ov) - 1) / (t - ov); // n * t - (n - 1) * ov >= size
        int span = ((size + (n - 1) * ov + n - 1) / n + m - 1) / m * m; // <= t, as t is a multiple of m
        int[] origins = new int[n];
        for (int i = 0; i < n; i++) origins[i] = (int) ((long) i * (size - span) / (n - 1));
        // neighbours overlap by at least ov: the spacing is at most span - ov
        return new Axis(origins, span, span, Math.min(ov, span / 2));
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
