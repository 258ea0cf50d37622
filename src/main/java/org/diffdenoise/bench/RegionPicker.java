package org.diffdenoise.bench;

import org.diffdenoise.image.FloatImage;
import org.diffdenoise.noise.NoiseStatistics;

/** Picks regions for SNR/CNR on an image without annotations: a flat bright block and a flat dark block. */
final class RegionPicker {
    private RegionPicker() {
    }

    /**
     * Returns {signal, other} as {x, y, w, h}: among blocks of the given size whose standard deviation is in the lowest
     * quarter, the brightest and the darkest (so both are homogeneous and differ in mean).
     */
    static int[][] pick(FloatImage im, int block) {
        int bx = im.width() / block, by = im.height() / block;
        double[][] st = new double[bx * by][];
        java.util.List<Double> stds = new java.util.ArrayList<>();
        for (int j = 0; j < by; j++) for (int i = 0; i < bx; i++) {
            double[] ms = NoiseStatistics.regionMeanStd(im, i * block, j * block, block, block);
            st[j * bx + i] = ms;
            stds.add(ms[1]);
        }
        java.util.Collections.sort(stds);
        double limit = stds.get(stds.size() / 4);
        int bright = -1, dark = -1;
        for (int k = 0; k < st.length; k++) {
            if (st[k][1] > limit) continue;
            if (bright < 0 || st[k][0] > st[bright][0]) bright = k;
            if (dark < 0 || st[k][0] < st[dark][0]) dark = k;
        }
        return new int[][] {{(bright % bx) * block, (bright / bx) * block, block, block}, {(dark % bx) * block, (dark / bx) * block, block, block}};
    }
}
