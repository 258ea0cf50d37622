package org.diffdenoise.diffusion;

/**
 * Accumulates tile outputs of one image with smooth, strictly positive separable weights (a raised-cosine ramp over
 * the overlap on sides that have a neighbour) and divides by the weight sum, so a network that returns its input
 * reproduces the image exactly across seams. The accumulator is the only image-sized buffer; because the grid is a
 * Cartesian product, the weight sum is the product of two 1D sums and needs no image-sized buffer.
 */
public final class TileBlender {

    private final TileGrid grid;
    private final double[] acc;
    private final double[][] wx, wy;
    private final double[] sumX, sumY;
    private int added;

    public TileBlender(TileGrid grid) {
        this.grid = grid;
        long n = (long) grid.width() * grid.height();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("slice too large: " + grid.width() + "x" + grid.height());
        acc = new double[(int) n];
        wx = weights(grid.x(), grid.width());
        wy = weights(grid.y(), grid.height());
        sumX = sums(grid.x(), wx, grid.width());
        sumY = sums(grid.y(), wy, grid.height());
    }

    private static double[][] weights(TileGrid.Axis a, int size) {
        double[][] w = new double[a.origins().length][];
        for (int i = 0; i < w.length; i++) {
            int o = a.origins()[i];
            w[i] = new double[a.valid()];
            for (int k = 0; k < a.valid(); k++) {
                double v = 1;
                if (o > 0) v *= ramp(k, a.overlap());
                if (o + a.valid() < size) v *= ramp(a.valid() - 1 - k, a.overlap());
                w[i][k] = v;
            }
        }
        return w;
    }

    /** sin^2 ramp rising over r pixels, in (0, 1]; never zero so every pixel keeps a positive weight. */
    static double ramp(int k, int r) {
        if (k >= r) return 1;
        double s = Math.sin(Math.PI / 2 * (k + 1) / (r + 1));
        return s * s;
    }

    private static double[] sums(TileGrid.Axis a, double[][] w, int size) {
        double[] s = new double[size];
        for (int i = 0; i < w.length; i++)
            for (int k = 0; k < a.valid(); k++) s[a.origins()[i] + k] += w[i][k];
        return s;
    }

    public TileGrid grid() {
        return grid;
    }

    /**
     * Adds one tile's output.
     *
     * @param tile   the tile
     * @param values span_y x span_x values, row-major; only the valid part is used
     * @param offset where the tile starts in {@code values}
     */
    public void add(TileGrid.Tile tile, float[] values, int offset) {
        int spanX = grid.x().span();
        int ix = tile.index() % grid.x().origins().length, iy = tile.index() / grid.x().origins().length;
        double[] fx = wx[ix], fy = wy[iy];
        int vx = grid.x().valid(), vy = grid.y().valid();
        for (int r = 0; r < vy; r++) {
            int row = (tile.y() + r) * grid.width() + tile.x();
            int src = offset + r * spanX;
            double wr = fy[r];
            for (int c = 0; c < vx; c++) acc[row + c] += wr * fx[c] * values[src + c];
        }
        added++;
    }

    /** Whether every tile of the grid has been added. */
    public boolean complete() {
        return added >= grid.size();
    }

    /** The blended image (width x height, row-major). */
    public float[] result() {
        if (!complete()) throw new IllegalStateException("only " + added + " of " + grid.size() + " tiles were added");
        float[] out = new float[acc.length];
        int w = grid.width();
        for (int yy = 0; yy < grid.height(); yy++)
            for (int xx = 0; xx < w; xx++) out[yy * w + xx] = (float) (acc[yy * w + xx] / (sumX[xx] * sumY[yy]));
        return out;
    }
}
