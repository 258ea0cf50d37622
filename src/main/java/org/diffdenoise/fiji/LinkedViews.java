package org.diffdenoise.fiji;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javax.swing.SwingUtilities;
import javax.swing.Timer;

import ij.ImageListener;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.ImageCanvas;
import ij.gui.Roi;
import ij.measure.ResultsTable;

/**
 * Keeps a group of same-sized images in step: slice, zoom, visible area and ROI follow whichever image the user
 * changed last, and the ROI is measured in all of them. Watching the images on a short timer catches every way of
 * changing them (slider, keys, mouse wheel, macro) without patching ImageJ's canvas.
 */
public final class LinkedViews implements ImageListener {
    private static final int POLL_MILLIS = 100;

    /** The groups being followed: an image belongs to one group at a time (the newest comparison). */
    private static final List<LinkedViews> ACTIVE = new ArrayList<>();

    private final List<ImagePlus> images;
    private final List<View> last = new ArrayList<>();
    private final Timer timer;
    private boolean measureRois = true;

    /** What is synchronized, as last seen. */
    private record View(int slice, double magnification, Rectangle sourceRect, String roi) {
        static View of(ImagePlus imp) {
            ImageCanvas c = imp.getCanvas();
            return new View(imp.getCurrentSlice(), c == null ? 1 : c.getMagnification(),
                    c == null ? null : new Rectangle(c.getSrcRect()), roiSignature(imp.getRoi()));
        }
    }

    private LinkedViews(List<ImagePlus> images) {
        this.images = List.copyOf(images);
        for (ImagePlus imp : this.images) last.add(View.of(imp));
        timer = new Timer(POLL_MILLIS, e -> poll());
        timer.setRepeats(true);
    }

    /** Links {@code images} (all the same width, height and slice count) and starts following them. */
    public static LinkedViews link(List<ImagePlus> images) {
        if (images.size() < 2) throw new IllegalArgumentException("linking needs at least two images");
        ImagePlus first = images.get(0);
        for (ImagePlus imp : images)
            if (imp.getWidth() != first.getWidth() || imp.getHeight() != first.getHeight() || imp.getStackSize() != first.getStackSize())
                throw new IllegalArgumentException("\"" + imp.getTitle() + "\" (" + imp.getWidth() + "x" + imp.getHeight() + "x"
                        + imp.getStackSize() + ") does not match \"" + first.getTitle() + "\" (" + first.getWidth() + "x"
                        + first.getHeight() + "x" + first.getStackSize() + ")");
        // an earlier comparison of any of these images stops, so it no longer measures into the table of this one
        synchronized (ACTIVE) {
            for (LinkedViews old : List.copyOf(ACTIVE))
                if (old.images.stream().anyMatch(images::contains)) old.unlink();
        }
        LinkedViews v = new LinkedViews(images);
        ImagePlus.addImageListener(v);
        v.timer.start();
        synchronized (ACTIVE) {
            ACTIVE.add(v);
        }
        return v;
    }

    /** The linked images, in order. */
    public List<ImagePlus> images() {
        return images;
    }

    /** Whether {@code imp} is being followed by a link (the viewer has finished opening it). */
    static boolean isLinked(ImagePlus imp) {
        synchronized (ACTIVE) {
            return ACTIVE.stream().anyMatch(v -> v.images.contains(imp));
        }
    }

    /** Whether ROI changes are measured into the {@value BeforeAfterViewer#ROI_TABLE} table (default on). */
    public void setMeasureRois(boolean on) {
        measureRois = on;
    }

    /** Stops following the images. */
    public void unlink() {
        timer.stop();
        ImagePlus.removeImageListener(this);
        synchronized (ACTIVE) {
            ACTIVE.remove(this);
        }
    }

    /** Applies the first changed image's view to the others; runs on the event dispatch thread. */
    void poll() {
        int leader = -1;
        for (int i = 0; i < images.size(); i++) {
            if (!View.of(images.get(i)).equals(last.get(i))) {
                leader = i;
                break;
            }
        }
        if (leader < 0) return;
        ImagePlus src = images.get(leader);
        View v = View.of(src);
        View old = last.get(leader);
        for (ImagePlus imp : images) {
            if (imp == src) continue;
            if (imp.getCurrentSlice() != v.slice() && v.slice() <= imp.getStackSize()) imp.setSlice(v.slice());
            ImageCanvas c = imp.getCanvas();
            if (c != null && v.sourceRect() != null
                    && (c.getMagnification() != v.magnification() || !c.getSrcRect().equals(v.sourceRect()))) {
                // ImageJ derives the magnification from canvas size / srcRect width: size first, then rect, then zoom
                ImageCanvas lead = src.getCanvas();
                boolean resize = lead != null && (c.getWidth() != lead.getWidth() || c.getHeight() != lead.getHeight());
                if (resize) c.setSize(lead.getWidth(), lead.getHeight());
                c.setSourceRect(new Rectangle(v.sourceRect()));
                c.setMagnification(v.magnification());
                if (resize && imp.getWindow() != null) imp.getWindow().pack();
                c.repaint();
            }
            if (!Objects.equals(roiSignature(imp.getRoi()), v.roi())) {
                Roi roi = src.getRoi();
                if (roi == null) imp.deleteRoi();
                else imp.setRoi((Roi) roi.clone());
            }
        }
        for (int i = 0; i < images.size(); i++) last.set(i, View.of(images.get(i)));
        boolean roiOrSliceChanged = !Objects.equals(old.roi(), v.roi()) || old.slice() != v.slice();
        if (measureRois && roiOrSliceChanged && src.getRoi() != null && src.getRoi().isArea()) showMeasurements(src.getRoi());
    }

    private void showMeasurements(Roi roi) {
        ResultsTable rt = BeforeAfterViewer.measure(roi, images);
        boolean placed = WindowManager.getWindow(BeforeAfterViewer.ROI_TABLE) != null;
        rt.show(BeforeAfterViewer.ROI_TABLE);
        java.awt.Window table = WindowManager.getWindow(BeforeAfterViewer.ROI_TABLE);
        if (!placed && table != null) BeforeAfterViewer.placeTable(table, images);
    }

    /** Blocks until the pending changes have been applied (for tests and macros). */
    public void syncNow() {
        if (SwingUtilities.isEventDispatchThread()) {
            poll();
            return;
        }
        try {
            SwingUtilities.invokeAndWait(this::poll);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String roiSignature(Roi roi) {
        if (roi == null) return null;
        Rectangle b = roi.getBounds();
        return roi.getType() + ":" + b.x + "," + b.y + "," + b.width + "," + b.height + ":" + roi.getFloatPolygon().npoints;
    }

    @Override
    public void imageOpened(ImagePlus imp) {
    }

    @Override
    public void imageClosed(ImagePlus imp) {
        // a closed member ends the link: the others would otherwise keep measuring an image no longer shown
        if (images.contains(imp)) unlink();
    }

    @Override
    public void imageUpdated(ImagePlus imp) {
    }
}
