package org.diffdenoise.bench;

import org.diffdenoise.image.FloatImage;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Headless PNG charts (line plots) and image montages drawn with java.awt. */
public final class Plots {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private Plots() {
    }

    /** One named series of (x, y) points. */
    public record Series(String name, double[] x, double[] y) {
    }

    /** A line chart; {@code logX} for sizes and step counts. */
    public static void lineChart(Path png, String title, String xLabel, String yLabel, List<Series> series, boolean logX) throws IOException {
        int w = 720, h = 440, l = 70, r = 170, t = 40, b = 55;
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = im.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) for (int i = 0; i < s.x.length; i++) {
            if (!Double.isFinite(s.y[i])) continue;
            double xv = logX ? Math.log10(s.x[i]) : s.x[i];
            x0 = Math.min(x0, xv); x1 = Math.max(x1, xv); y0 = Math.min(y0, s.y[i]); y1 = Math.max(y1, s.y[i]);
        }
        if (!(x1 > x0)) { x0 -= 1; x1 += 1; }
        if (!(y1 > y0)) { y0 -= 1; y1 += 1; }
        double pad = 0.06 * (y1 - y0);
        y0 -= pad; y1 += pad;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, l, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawRect(l, t, w - l - r, h - t - b);
        for (int k = 0; k <= 5; k++) {
            double yv = y0 + (y1 - y0) * k / 5;
            int py = (int) (h - b - (h - t - b) * k / 5.0);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(l + 1, py, w - r - 1, py);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.3g", yv), 8, py + 4);
        }
        List<Double> ticks = new ArrayList<>();
        for (Series s : series) for (double xv : s.x) if (!ticks.contains(xv)) ticks.add(xv);
        for (double xv : ticks) {
            int px = mapX(logX ? Math.log10(xv) : xv, x0, x1, l, w - r);
            g.drawString(String.format(Locale.ROOT, "%.4g", xv), px - 10, h - b + 16);
        }
        g.drawString(xLabel, l + (w - l - r) / 2 - 30, h - 12);
        g.drawString(yLabel, 8, t - 8);
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            g.setColor(COLORS[si % COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            int px = -1, py = -1;
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.y[i])) continue;
                int qx = mapX(logX ? Math.log10(s.x[i]) : s.x[i], x0, x1, l, w - r);
                int qy = (int) (h - b - (s.y[i] - y0) / (y1 - y0) * (h - t - b));
                g.fillOval(qx - 3, qy - 3, 7, 7);
                if (px >= 0) g.drawLine(px, py, qx, qy);
                px = qx; py = qy;
            }
            g.fillRect(w - r + 12, t + 8 + 18 * si, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(s.name, w - r + 32, t + 14 + 18 * si);
        }
        g.dispose();
        ImageIO.write(im, "png", png.toFile());
    }

    private static int mapX(double v, double x0, double x1, int a, int b) {
        return (int) (a + 10 + (v - x0) / (x1 - x0) * (b - a - 20));
    }

    /** Side-by-side crops, all displayed with the same window (lo..hi), each with a caption. */
    public static void montage(Path png, LinkedHashMap<String, FloatImage> panels, double lo, double hi, int scale) throws IOException {
        int n = panels.size();
        FloatImage first = panels.values().iterator().next();
        int pw = first.width() * scale, ph = first.height() * scale, cap = 20;
        BufferedImage im = new BufferedImage(n * (pw + 4), ph + cap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = im.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, im.getWidth(), im.getHeight());
        int k = 0;
        for (Map.Entry<String, FloatImage> e : panels.entrySet()) {
            FloatImage p = e.getValue();
            int ox = k * (pw + 4);
            for (int y = 0; y < ph; y++) for (int x = 0; x < pw; x++) {
                double v = (p.get(x / scale, y / scale) - lo) / (hi - lo);
                int gv = (int) Math.round(255 * Math.max(0, Math.min(1, v)));
                im.setRGB(ox + x, cap + y, (gv << 16) | (gv << 8) | gv);
            }
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(e.getKey(), ox + 3, 14);
            k++;
        }
        g.dispose();
        ImageIO.write(im, "png", png.toFile());
    }
}
