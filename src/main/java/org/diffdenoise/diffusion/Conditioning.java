package org.diffdenoise.diffusion;

import java.util.List;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessible;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.diffdenoise.model.ModelSignature;

/**
 * The network's conditioning of tiles, channels last: the noisy slice, the previous and the next slice (2.5D context,
 * or the slice itself when context is off) and the noise-level map, all normalized and mirrored beyond the edges.
 */
final class Conditioning {

    /** Conditioning channels: noisy slice, previous slice, next slice, noise-level map. */
    static final int CHANNELS = ModelSignature.CONDITION_CHANNELS;

    private final RandomAccessibleInterval<FloatType> normalized;
    private final SliceNoise[] noise;
    private final TileGrid grid;
    private final boolean sliceContext;

    /**
     * @param normalized the normalized, NaN-free (x, y, slice) stack
     * @param noise      each slice's noise (its map or constant sigma is channel 3)
     */
    Conditioning(RandomAccessibleInterval<FloatType> normalized, SliceNoise[] noise, TileGrid grid, boolean sliceContext) {
        this.normalized = normalized;
        this.noise = noise;
        this.grid = grid;
        this.sliceContext = sliceContext;
    }

    /** The n * span * C conditioning values of the jobs, in order. */
    float[] of(List<TileJob> jobs) {
        int sw = grid.x().span(), sh = grid.y().span(), m = sw * sh, c = CHANNELS;
        int depth = noise.length;
        float[] cond = new float[jobs.size() * m * c];
        float[] buf = new float[m];
        for (int j = 0; j < jobs.size(); j++) {
            TileJob it = jobs.get(j);
            int z = it.slice();
            // 2.5D context: the neighbouring slices, or the slice itself when context is off (repeated positions)
            int[] zs = sliceContext ? new int[] {z, Math.max(0, z - 1), Math.min(depth - 1, z + 1)} : new int[] {z, z, z};
            for (int ch = 0; ch < 3; ch++) {
                readTile(mirrored(Views.hyperSlice(normalized, 2, zs[ch])), it.tile().x(), it.tile().y(), sw, sh, buf);
                for (int p = 0; p < m; p++) cond[(j * m + p) * c + ch] = buf[p];
            }
            if (noise[z].map() != null) {
                mapTile(noise[z].map(), grid.width(), grid.height(), it.tile().x(), it.tile().y(), sw, sh, buf);
                for (int p = 0; p < m; p++) cond[(j * m + p) * c + 3] = buf[p];
            } else {
                float sigma = (float) noise[z].normalized().sigma();
                for (int p = 0; p < m; p++) cond[(j * m + p) * c + 3] = sigma;
            }
        }
        return cond;
    }

    /**
     * The slice extended by mirroring without repeating the edge pixel; an axis of length 1 (where that mirror is
     * undefined in ImgLib2) repeats its only pixel, which is the same thing.
     */
    static RandomAccessible<FloatType> mirrored(RandomAccessibleInterval<FloatType> slice) {
        for (int d = 0; d < slice.numDimensions(); d++) if (slice.dimension(d) == 1) return Views.extendBorder(slice);
        return Views.extendMirrorSingle(slice);
    }

    /**
     * Copies a sw x sh window starting at (x, y) of a w x h row-major map into {@code dst}, mirrored beyond the edges
     * as {@link #mirrored} extends it; a plain copy, since the map is an array already (cheaper than a view, above all for
     * the first slice, which runs it before it is compiled).
     */
    static void mapTile(float[] map, int w, int h, int x, int y, int sw, int sh, float[] dst) {
        boolean border = w == 1 || h == 1; // as mirrored(): a one-pixel axis makes the whole view repeat its edges
        int[] cols = new int[sw];
        for (int col = 0; col < sw; col++) cols[col] = edge(x + col, w, border);
        for (int r = 0; r < sh; r++) {
            int row = edge(y + r, h, border) * w;
            for (int col = 0; col < sw; col++) dst[r * sw + col] = map[row + cols[col]];
        }
    }

    /** Index i brought into 0..n-1: clamped ({@code border}), else reflected without repeating the edge pixel. */
    private static int edge(int i, int n, boolean border) {
        if (border) return Math.max(0, Math.min(n - 1, i));
        int period = 2 * n - 2;
        i = Math.floorMod(i, period);
        return i < n ? i : period - i;
    }

    /** Copies a sw x sh window starting at (x, y) of an (extended) view into {@code dst}, row-major. */
    static void readTile(RandomAccessible<FloatType> view, int x, int y, int sw, int sh, float[] dst) {
        RandomAccessibleInterval<FloatType> tile = Views.interval(view, new long[] {x, y}, new long[] {x + sw - 1L, y + sh - 1L});
        Cursor<FloatType> cur = Views.flatIterable(tile).cursor();
        int i = 0;
        while (cur.hasNext()) dst[i++] = cur.next().get();
    }
}
