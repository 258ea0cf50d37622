package org.diffdenoise.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.diffdenoise.train.UncertaintyReliability;

/**
 * A reliability diagram as a PNG: per decile bin of the predicted SD, the RMS error against the bin's mean predicted SD
 * on log-log axes, with the diagonal a calibrated map follows and the band within the bar's factor 1.5 shaded.
 */
final class ReliabilityDiagram {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e)};

    private ReliabilityDiagram() {
    }

    /** One curve: a name and its reliability. */
    record Curve(String name, UncertaintyReliability r) {
    }

    static void write(Path png, String title, List<Curve> curves) throws IOException {
        int w = 560, h = 440, l = 70, r = 20, t = 40, b = 90;
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (Curve c : curves)
            for (int i = 0; i < UncertaintyReliability.BINS; i++)
                for (double v : new double[] {c.r().binMeanSd()[i], c.r().binRmsError()[i]})
                    if (v > 0) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
        if (!(hi > 0)) {
            lo = 0.1;
            hi = 1;
        }
        double a = Math.floor(Math.log10(lo / 1.5)), z = Math.ceil(Math.log10(hi * 1.5));
        if (z <= a) z = a + 1;
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = im.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int pw = w - l - r, ph = h - t - b;
        double da = a, dz = z;
        java.util.function.DoubleToIntFunction x = v -> l + (int) Math.round((Math.log10(v) - da) / (dz - da) * pw);
        java.util.function.DoubleToIntFunction y = v -> t + ph - (int) Math.round((Math.log10(v) - da) / (dz - da) * ph);
        // the band |log(error / sd)| <= log 1.5 and the diagonal
        int n = 64;
        int[] bx = new int[2 * n], by = new int[2 * n];
        for (int i = 0; i < n; i++) {
            double v = Math.pow(10, a + (z - a) * i / (n - 1));
            bx[i] = x.applyAsInt(v);
            by[i] = y.applyAsInt(Math.min(v * 1.5, Math.pow(10, z)));
            bx[2 * n - 1 - i] = x.applyAsInt(v);
            by[2 * n - 1 - i] = y.applyAsInt(Math.max(v / 1.5, Math.pow(10, a)));
        }
        g.setColor(new Color(0xe8f4e8));
        g.fillPolygon(bx, by, 2 * n);
        g.setColor(new Color(0x2ca02c));
        g.drawLine(x.applyAsInt(Math.pow(10, a)), y.applyAsInt(Math.pow(10, a)), x.applyAsInt(Math.pow(10, z)), y.applyAsInt(Math.pow(10, z)));
        // axes and decade ticks
        g.setColor(Color.DARK_GRAY);
        g.drawRect(l, t, pw, ph);
        for (double d = a; d <= z; d++) {
            double v = Math.pow(10, d);
            String s = d >= 0 && d < 5 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.0e", v);
            g.drawLine(x.applyAsInt(v), t + ph, x.applyAsInt(v), t + ph + 4);
            g.drawString(s, x.applyAsInt(v) - g.getFontMetrics().stringWidth(s) / 2, t + ph + 18);
            g.drawLine(l - 4, y.applyAsInt(v), l, y.applyAsInt(v));
            g.drawString(s, l - 8 - g.getFontMetrics().stringWidth(s), y.applyAsInt(v) + 5);
        }
        g.drawString("mean predicted SD of the bin (modality units)", l + pw / 2 - 130, t + ph + 36);
        g.rotate(-Math.PI / 2);
        g.drawString("RMS error of the bin", -(t + ph / 2 + 60), 18);
        g.rotate(Math.PI / 2);
        g.drawString(title, l, 24);
        g.setStroke(new BasicStroke(2f));
        int legendY = t + ph + 56;
        for (int k = 0; k < curves.size(); k++) {
            Curve c = curves.get(k);
            g.setColor(COLORS[k % COLORS.length]);
            int px = -1, py = -1;
            for (int i = 0; i < UncertaintyReliability.BINS; i++) {
                double s = c.r().binMeanSd()[i], e = c.r().binRmsError()[i];
                if (!(s > 0 && e > 0)) continue;
                int qx = x.applyAsInt(s), qy = y.applyAsInt(e);
                g.fillOval(qx - 3, qy - 3, 7, 7);
                if (px >= 0) g.drawLine(px, py, qx, qy);
                px = qx;
                py = qy;
            }
            String label = String.format(Locale.ROOT, "%s: worst bin x%.2f, coverage %.1f %%", c.name(), c.r().worstBinFactor(), 100 * c.r().coverage2sd());
            g.fillRect(l, legendY + 16 * k - 5, 14, 4);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label, l + 20, legendY + 16 * k);
        }
        g.setColor(new Color(0x2ca02c));
        g.drawString("calibrated (y = x); shaded: within x1.5", l + pw - 250, t + 16);
        g.dispose();
        ImageIO.write(im, "png", png.toFile());
    }
}
