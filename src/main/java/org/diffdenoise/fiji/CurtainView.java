package org.diffdenoise.fiji;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Panel;
import java.awt.Scrollbar;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageCanvas;
import ij.gui.ImageWindow;
import ij.gui.Line;
import ij.gui.Overlay;
import ij.gui.TextRoi;
import ij.process.FloatProcessor;

/**
 * One window showing the original left of a vertical split and the denoised image right of it ("curtain"). The
 * split follows the slider under the image, or the mouse when the line is dragged; both halves share one display
 * range, so contrast changes (Image > Adjust > Brightness/Contrast) apply to both alike.
 */
public final class CurtainView {
    /** How near (screen pixels) the mouse must be to the split line to drag it. */
    private static final int GRAB = 8;

    private final float[][] before;
    private final float[][] after;
    private final ImagePlus curtain;
    private int split;
    private Scrollbar slider;

    private CurtainView(ImagePlus before, ImagePlus after, String title) {
        int n = before.getStackSize();
        this.before = new float[n][];
        this.after = new float[n][];
        float[] a = ImagePlusConversion.toCalibratedFloat(before).update(null).getCurrentStorageArray();
        float[] b = ImagePlusConversion.toCalibratedFloat(after).update(null).getCurrentStorageArray();
        int size = before.getWidth() * before.getHeight();
        ImageStack stack = new ImageStack(before.getWidth(), before.getHeight());
        for (int z = 0; z < n; z++) {
            this.before[z] = java.util.Arrays.copyOfRange(a, z * size, (z + 1) * size);
            this.after[z] = java.util.Arrays.copyOfRange(b, z * size, (z + 1) * size);
            stack.addSlice(null, new FloatProcessor(before.getWidth(), before.getHeight(), new float[size]));
        }
        curtain = new ImagePlus(title, stack);
        curtain.setCalibration(ImagePlusConversion.floatCalibration(before.getCalibration()));
        split = before.getWidth() / 2;
        compose();
        double[] range = BeforeAfterViewer.displayRange(before);
        curtain.setDisplayRange(range[0], range[1]);
    }

    /**
     * Builds the curtain image of two same-sized images (not shown).
     *
     * @throws IllegalArgumentException when they differ in size
     */
    public static CurtainView of(ImagePlus before, ImagePlus after) {
        if (before.getWidth() != after.getWidth() || before.getHeight() != after.getHeight() || before.getStackSize() != after.getStackSize())
            throw new IllegalArgumentException("\"" + before.getTitle() + "\" and \"" + after.getTitle() + "\" differ in size");
        return new CurtainView(before, after, before.getTitle() + " | " + after.getTitle() + " (curtain: original left, denoised right)");
    }

    /** The curtain image. */
    public ImagePlus image() {
        return curtain;
    }

    /** The split's column: pixels left of it come from the original. */
    public int split() {
        return split;
    }

    /** Moves the split to column {@code x} (clamped to the image) and redraws every slice. */
    public void setSplit(int x) {
        split = Math.max(0, Math.min(curtain.getWidth(), x));
        compose();
        curtain.updateAndDraw();
        if (slider != null && slider.getValue() != split) slider.setValue(split);
    }

    private void compose() {
        int w = curtain.getWidth(), h = curtain.getHeight();
        for (int z = 0; z < before.length; z++) {
            float[] out = (float[]) curtain.getStack().getPixels(z + 1);
            for (int y = 0; y < h; y++) {
                int row = y * w;
                System.arraycopy(before[z], row, out, row, split);
                System.arraycopy(after[z], row + split, out, row + split, w - split);
            }
        }
        Overlay o = new Overlay();
        Line line = new Line(split, 0, split, h);
        line.setStrokeColor(Color.YELLOW);
        o.add(line);
        // labels about 1/50 of the width high, so they stay readable when a large image is zoomed out
        java.awt.Font font = new java.awt.Font("SansSerif", java.awt.Font.BOLD, Math.max(12, w / 50));
        int textWidth = font.getSize() * 5;
        TextRoi left = new TextRoi(Math.max(0, split - textWidth), 2, "original", font);
        TextRoi right = new TextRoi(Math.min(w - textWidth, split + font.getSize() / 3), 2, "denoised", font);
        left.setStrokeColor(Color.YELLOW);
        right.setStrokeColor(Color.YELLOW);
        o.add(left);
        o.add(right);
        curtain.setOverlay(o);
    }

    /** Shows the curtain window, fitted to the screen, with a slider for the split under the image. */
    public void show() {
        BeforeAfterViewer.place(java.util.List.of(curtain));
        ImageWindow win = curtain.getWindow();
        if (win == null) return;
        Scrollbar slider = new Scrollbar(Scrollbar.HORIZONTAL, split, 1, 0, curtain.getWidth() + 1);
        this.slider = slider;
        slider.addAdjustmentListener(e -> setSplit(e.getValue()));
        ImageCanvas shown = win.getCanvas();
        // as wide as the image: ImageJ's window layout gives extra components their preferred size
        Panel p = new Panel(new BorderLayout()) {
            @Override
            public java.awt.Dimension getPreferredSize() {
                return new java.awt.Dimension(shown.getWidth(), slider.getPreferredSize().height + 4);
            }
        };
        p.add(slider, BorderLayout.CENTER);
        win.add(p);
        win.pack();
        ImageCanvas canvas = win.getCanvas();
        MouseAdapter drag = new MouseAdapter() {
            private boolean dragging;

            @Override
            public void mousePressed(MouseEvent e) {
                dragging = Math.abs(canvas.screenX(split) - e.getX()) <= GRAB;
            }

            @Override
            public void mouseDragged(MouseEvent e) {
                if (!dragging) return;
                setSplit(canvas.offScreenX(e.getX()));
            }

            @Override
            public void mouseReleased(MouseEvent e) {
                dragging = false;
            }
        };
        canvas.addMouseListener(drag);
        canvas.addMouseMotionListener(drag);
    }
}
