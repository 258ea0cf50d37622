package org.diffdenoise.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Dimension;
import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.List;

import ij.ImagePlus;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.process.FloatProcessor;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DicomSeries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compare view's layout, contrast-to-noise ratio and curtain, computed without a screen. */
class CompareViewTest {

    /** The pair of 1152x1024 images of the issue, on a 1680x1050 screen below ImageJ's bar: fitted, none hidden. */
    @Test
    void largePairsAreFittedSideBySideWithoutOverlap() {
        Rectangle screen = new Rectangle(0, 110, 1680, 940);
        Dimension decoration = new Dimension(24, 84);
        for (int count : new int[] {2, 3, 4}) {
            WindowLayout l = WindowLayout.of(count, 1152, 1024, screen, decoration);
            assertTrue(l.magnification() > 0.2 && l.magnification() < 1, "zoom " + l.magnification());
            for (int i = 0; i < count; i++) {
                Rectangle a = l.cells().get(i);
                assertTrue(screen.contains(a), count + " windows: cell " + i + " " + a + " off " + screen);
                for (int j = i + 1; j < count; j++) assertFalse(a.intersects(l.cells().get(j)), "cells " + i + ", " + j + " overlap");
            }
        }
        WindowLayout two = WindowLayout.of(2, 1152, 1024, screen, decoration);
        assertEquals(2, two.columns(), "a pair goes side by side");
        assertEquals(two.cells().get(0).y, two.cells().get(1).y);
        // small images keep 100 %
        assertEquals(1.0, WindowLayout.of(4, 256, 256, screen, decoration).magnification());
    }

    @Test
    void contrastToNoiseRatioOfSignalAndBackgroundRois(@TempDir Path tmp) throws Exception {
        DicomSeries s = Dicom.backend().load(Dicom.backend().scan(FijiTestSupport.goodStudy(tmp)).series().get(0));
        ImagePlus before = ImagePlusConversion.toImagePlus("MR", s.pixels(), ImagePlusConversion.calibration(s));
        ImagePlus after = before.duplicate();
        after.setTitle("MR (smoothed)");
        for (int z = 1; z <= after.getStackSize(); z++) after.getStack().getProcessor(z).smooth();
        Roi signal = new OvalRoi(100, 100, 40, 40), background = new Roi(110, 60, 30, 20);
        ResultsTable rt = BeforeAfterViewer.contrastToNoise(signal, background, List.of(before, after));
        assertEquals(2, rt.size());
        // by hand, from the pixels
        FloatProcessor fp = (FloatProcessor) before.getStack().getProcessor(1);
        double[] sig = stats(fp, signal), bg = stats(fp, background);
        double expected = Math.abs(sig[0] - bg[0]) / bg[1];
        assertEquals(expected, rt.getValue("CNR", 0), 1e-6 * expected);
        assertTrue(rt.getValue("CNR", 1) > rt.getValue("CNR", 0), "smoothing lowers the background SD: " + rt.getValue("CNR", 0) + " -> " + rt.getValue("CNR", 1));
        assertEquals("MR (smoothed)", rt.getStringValue("Image", 1));
    }

    @Test
    void curtainShowsTheOriginalLeftOfTheSplitAndTheDenoisedRight() {
        FloatProcessor a = new FloatProcessor(64, 32), b = new FloatProcessor(64, 32);
        for (int i = 0; i < 64 * 32; i++) {
            a.setf(i, i);
            b.setf(i, -i);
        }
        CurtainView c = CurtainView.of(new ImagePlus("a", a), new ImagePlus("b", b));
        assertEquals(32, c.split());
        c.setSplit(10);
        float[] p = (float[]) c.image().getProcessor().getPixels();
        assertEquals(a.getf(9, 5), p[5 * 64 + 9]);
        assertEquals(b.getf(10, 5), p[5 * 64 + 10]);
        c.setSplit(1000);
        assertEquals(64, c.split());
        assertEquals(a.getf(63, 31), ((float[]) c.image().getProcessor().getPixels())[31 * 64 + 63]);
    }

    private static double[] stats(FloatProcessor fp, Roi roi) {
        double sum = 0, sum2 = 0;
        int n = 0;
        for (java.awt.Point pt : roi.getContainedPoints()) {
            double v = fp.getf(pt.x, pt.y);
            sum += v;
            sum2 += v * v;
            n++;
        }
        double mean = sum / n;
        return new double[] {mean, Math.sqrt((sum2 - n * mean * mean) / (n - 1))};
    }
}
