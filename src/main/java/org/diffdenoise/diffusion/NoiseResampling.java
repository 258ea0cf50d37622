package org.diffdenoise.diffusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fresh draw of a slice's own noise, for recorruption: the slice's horizontal differences at a lag beyond the noise's
 * correlation, {@code (y(p) - y(p + LAG)) / sqrt 2}, keep the noise's variance and (below that lag) its correlation while
 * the image mostly cancels; divided by the local noise level of the sigma map they are unit noise. Tiles of it from
 * structure-free places (near-Gaussian: variance within {@link #MAX_TAIL} of the squared robust spread) are moved to
 * other places at least two tiles away, so the draw is independent of the noise where it lands, and multiplied by the
 * local level there.
 */
final class NoiseResampling {

    /** Edge of the tiles moved. */
    static final int TILE = 16;
    /** Horizontal lag of the differences. */
    static final int LAG = 4;
    /** Largest variance / (1.4826 MAD)^2 of a tile taken as structure-free noise. */
    static final double MAX_TAIL = 1.3;

    private NoiseResampling() {
    }

    /**
     * A cw x ch draw of the noise of {@code y} (w x h, sigma map {@code map}) for the window at (x0, y0), or null when
     * the slice has no structure-free tile far enough away.
     */
    static float[] resample(float[] y, float[] map, int w, int h, int x0, int y0, int cw, int ch, SplittableRandom rng) {
        List<float[]> sources = new ArrayList<>();
        List<int[]> where = new ArrayList<>();
        sources(y, map, w, h, sources, where);
        if (sources.isEmpty()) return null;
        float[] a = new float[cw * ch];
        for (int ty = 0; ty < ch; ty += TILE)
            for (int tx = 0; tx < cw; tx += TILE) {
                int dx = x0 + tx, dy = y0 + ty;
                List<Integer> far = new ArrayList<>();
                for (int i = 0; i < where.size(); i++)
                    if (Math.max(Math.abs(where.get(i)[0] - dx), Math.abs(where.get(i)[1] - dy)) >= 2 * TILE) far.add(i);
                if (far.isEmpty()) return null;
                float[] u = sources.get(far.get(rng.nextInt(far.size())));
                for (int yy = 0; yy < TILE && ty + yy < ch; yy++)
                    for (int xx = 0; xx < TILE && tx + xx < cw; xx++)
                        a[(ty + yy) * cw + tx + xx] = u[yy * TILE + xx] * map[(dy + yy) * w + dx + xx];
            }
        return a;
    }

    /**
     * The structure-free tiles as unit noise (the slice minus its least-squares plane over the tile, divided by the
     * local level): near-Gaussian, and among those the quieter half, since image texture passes the tail test too.
     */
    static void sources(float[] y, float[] map, int w, int h, List<float[]> tiles, List<int[]> corners) {
        List<float[]> cand = new ArrayList<>();
        List<int[]> at = new ArrayList<>();
        List<Double> vars = new ArrayList<>();
        double[] v = new double[TILE * TILE];
        double c = (TILE - 1) / 2.0, sxx = 0;
        for (int i = 0; i < TILE; i++) sxx += (i - c) * (i - c);
        sxx *= TILE;
        for (int ty = 0; ty + TILE <= h; ty += TILE)
            for (int tx = 0; tx + TILE <= w; tx += TILE) {
                double mean = 0, gx = 0, gy = 0;
                int flat = 0;
                for (int yy = 0; yy < TILE; yy++)
                    for (int xx = 0; xx < TILE; xx++) {
                        int p = (ty + yy) * w + tx + xx;
                        double val = y[p];
                        mean += val;
                        gx += (xx - c) * val;
                        gy += (yy - c) * val;
                        if (xx > 0 && y[p] == y[p - 1]) flat++;
                    }
                if (flat > TILE * TILE / 8) continue; // masked or clipped: no noise there
                mean /= TILE * TILE;
                gx /= sxx;
                gy /= sxx;
                float[] u = new float[TILE * TILE];
                double var = 0;
                int k = 0;
                for (int yy = 0; yy < TILE; yy++)
                    for (int xx = 0; xx < TILE; xx++) {
                        int p = (ty + yy) * w + tx + xx;
                        double r = y[p] - mean - gx * (xx - c) - gy * (yy - c);
                        double level = map[p];
                        u[k] = level > 0 ? (float) (r / level) : 0f;
                        var += (double) u[k] * u[k];
                        v[k] = Math.abs(u[k]);
                        k++;
                    }
                var /= k;
                Arrays.sort(v);
                double mad = 1.4826 * v[k / 2];
                if (mad > 0 && var <= MAX_TAIL * mad * mad) {
                    cand.add(u);
                    at.add(new int[] {tx, ty});
                    vars.add(var);
                }
            }
        if (cand.isEmpty()) return;
        double median = vars.stream().mapToDouble(Double::doubleValue).sorted().toArray()[vars.size() / 2];
        double sum = 0;
        for (int i = 0; i < cand.size(); i++)
            if (vars.get(i) <= median) {
                tiles.add(cand.get(i));
                corners.add(at.get(i));
                sum += vars.get(i);
            }
        // texture left in the tiles would add variance: the level is the map's, the draw gives the texture
        float norm = (float) (1 / Math.sqrt(sum / tiles.size()));
        for (float[] u : tiles) for (int i = 0; i < u.length; i++) u[i] *= norm;
    }
}
