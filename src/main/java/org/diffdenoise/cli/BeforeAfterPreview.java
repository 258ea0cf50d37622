package org.diffdenoise.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.ImageIO;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DicomException;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.dicom.StudyScan;
import org.diffdenoise.noise.RobustNormalization;
import org.diffdenoise.pipeline.AtomicFile;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/** Writes a PNG with the middle slice before and after denoising side by side, in one display window. */
public final class BeforeAfterPreview {

    private BeforeAfterPreview() {
    }

    /**
     * Reads the source series and the derived series in {@code derivedDir} again and renders them to {@code png}
     * (atomically; an existing file is replaced only when {@code replace}).
     */
    public static void write(SeriesRef source, Path derivedDir, Path png, boolean replace) throws IOException, DicomException {
        DicomSeries before = Dicom.backend().load(source);
        StudyScan scan = Dicom.backend().scan(derivedDir);
        if (scan.series().size() != 1) throw new IOException("expected one derived series in " + derivedDir);
        DicomSeries after = Dicom.backend().load(scan.series().get(0));
        int z = before.sliceCount() / 2;
        float[] a = slice(before.pixels(), z);
        float[] b = slice(after.pixels(), z);
        int w = (int) before.pixels().dimension(0), h = (int) before.pixels().dimension(1);
        // One window for both, from the original's robust range, so the comparison is fair.
        float[] sorted = a.clone();
        Arrays.sort(sorted);
        double lo = RobustNormalization.percentileSorted(sorted, 0.5), hi = RobustNormalization.percentileSorted(sorted, 99.5);
        if (before.monochrome1()) { double t = lo; lo = hi; hi = t; }
        int label = 18;
        BufferedImage img = new BufferedImage(2 * w + 4, h + label, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        paint(img, a, w, h, 0, label, lo, hi);
        paint(img, b, w, h, w + 4, label, lo, hi);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("before (slice " + (z + 1) + "/" + before.sliceCount() + ")", 4, 13);
        g.drawString("after (DiffDenoise)", w + 8, 13);
        g.dispose();
        AtomicFile.write(png, replace, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer in this Java");
        });
    }

    private static float[] slice(RandomAccessibleInterval<FloatType> stack, int z) {
        RandomAccessibleInterval<FloatType> s = stack.numDimensions() == 3 ? Views.hyperSlice(stack, 2, z) : stack;
        int w = (int) s.dimension(0), h = (int) s.dimension(1);
        float[] out = new float[w * h];
        Cursor<FloatType> c = Views.flatIterable(s).cursor();
        for (int i = 0; c.hasNext(); i++) out[i] = c.next().get();
        return out;
    }

    private static void paint(BufferedImage img, float[] v, int w, int h, int x0, int y0, double lo, double hi) {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double n = (v[y * w + x] - lo) / (hi - lo);
                int g = (int) Math.round(255 * Math.max(0, Math.min(1, n)));
                img.getRaster().setSample(x0 + x, y0 + y, 0, g);
            }
    }
}
