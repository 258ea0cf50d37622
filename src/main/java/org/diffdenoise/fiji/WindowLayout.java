package org.diffdenoise.fiji;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

import ij.gui.ImageCanvas;

/**
 * Where the viewer's windows go: a grid (one row where it fits) that puts every window on the screen without
 * overlap, at the largest zoom (whole percent, at most 100 %) that lets all of them fit.
 *
 * @param magnification the zoom every window gets
 * @param columns       windows per row
 * @param cells         each window's bounds, in display order
 */
record WindowLayout(double magnification, int columns, List<Rectangle> cells) {
    /** Space between windows, in screen pixels. */
    static final int GAP = 4;

    /**
     * @param count      how many windows
     * @param width      image width in pixels (all the same)
     * @param height     image height in pixels
     * @param screen     the usable screen area (below ImageJ's bar)
     * @param decoration what a window adds around its canvas (title bar, borders, slice slider, info line)
     */
    static WindowLayout of(int count, int width, int height, Rectangle screen, java.awt.Dimension decoration) {
        if (count < 1) throw new IllegalArgumentException("no windows to place");
        double bestMag = 0;
        int bestColumns = count;
        for (int columns = 1; columns <= count; columns++) {
            int rows = (count + columns - 1) / columns;
            double mw = (screen.width - GAP * (columns - 1) - columns * (double) decoration.width) / (columns * (double) width);
            double mh = (screen.height - GAP * (rows - 1) - rows * (double) decoration.height) / (rows * (double) height);
            double mag = zoomLevel(Math.min(1.0, Math.min(mw, mh)));
            if (mag >= bestMag - 1e-9) { // on a tie, more columns: side by side reads better than stacked
                bestMag = mag;
                bestColumns = columns;
            }
        }
        int cw = (int) Math.ceil(width * bestMag) + decoration.width;
        int ch = (int) Math.ceil(height * bestMag) + decoration.height;
        List<Rectangle> cells = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int col = i % bestColumns, row = i / bestColumns;
            cells.add(new Rectangle(screen.x + col * (cw + GAP), screen.y + row * (ch + GAP), cw, ch));
        }
        return new WindowLayout(bestMag, bestColumns, List.copyOf(cells));
    }

    /**
     * The zoom that fits, rounded down to whole percent and at most 100 %. Not snapped to ImageJ's zoom levels
     * (1/3, 1/2, 3/4 ...): between them a large pair would waste a third of the screen; zooming in and out still
     * steps to the next level as usual.
     */
    static double zoomLevel(double mag) {
        if (mag >= 1.0) return 1.0;
        double percent = Math.floor(mag * 100 + 1e-9) / 100;
        return percent > 0 ? percent : ImageCanvas.getLowerZoomLevel(mag);
    }
}
