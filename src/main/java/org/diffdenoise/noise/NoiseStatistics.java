package org.diffdenoise.noise;

import org.diffdenoise.image.FloatImage;

import java.util.Arrays;

/** No-reference noise measures for real noisy images: a robust sigma estimate, SNR and CNR in regions. */
public final class NoiseStatistics {

    private NoiseStatistics() {
    }

    /**
     * Noise standard deviation from the median absolute deviation of the finest-scale Haar diagonal coefficients
     * (Donoho and Johnstone 1994): sigma = median(|HH1|) / 0.6745. HH1 = (a - b - c + d) / 2 over 2x2 blocks has
     * the noise's variance and little of the image's, except at edges, which the median ignores.
     */
    public static double haarMadSigma(FloatImage im) {
        int w = im.width() / 2 * 2, h = im.height() / 2 * 2;
        float[] d = im.data();
        double[] c = new double[(w / 2) * (h / 2)];
        int n = 0;
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                int i = y * im.width() + x;
                c[n++] = Math.abs(d[i] - d[i + 1] - d[i + im.width()] + d[i + im.width() + 1]) / 2.0;
            }
        }
        if (n == 0) throw new IllegalArgumentException("image too small for a noise estimate");
        Arrays.sort(c, 0, n);
        double med = n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
        if (med > 0) return med / 0.6745;
        // Quantized or lossy-compressed images (8-bit JPEG) can have more than half of HH1 exactly 0; then the
        // RMS of HH1 is the usable (edge-inflated, so upper) estimate.
        double ss = 0;
        for (int i = 0; i < n; i++) ss += c[i] * c[i];
        return Math.sqrt(ss / n);
    }

    /** Mean and standard deviation of a rectangular region. */
    public static double[] regionMeanStd(FloatImage im, int x0, int y0, int w, int h) {
        FloatImage r = im.crop(x0, y0, w, h);
        double m = 0;
        for (float v : r.data()) m += v;
        m /= r.data().length;
        double s = 0;
        for (float v : r.data()) s += (v - m) * (v - m);
        return new double[] {m, Math.sqrt(s / Math.max(1, r.data().length - 1))};
    }

    /** SNR = mean / std inside one region. */
    public static double snr(FloatImage im, int[] region) {
        double[] ms = regionMeanStd(im, region[0], region[1], region[2], region[3]);
        return ms[1] == 0 ? Double.POSITIVE_INFINITY : ms[0] / ms[1];
    }

    /** CNR = |mean(A) - mean(B)| / sqrt((var(A) + var(B)) / 2). */
    public static double cnr(FloatImage im, int[] a, int[] b) {
        double[] ma = regionMeanStd(im, a[0], a[1], a[2], a[3]);
        double[] mb = regionMeanStd(im, b[0], b[1], b[2], b[3]);
        double noise = Math.sqrt((ma[1] * ma[1] + mb[1] * mb[1]) / 2);
        return noise == 0 ? Double.POSITIVE_INFINITY : Math.abs(ma[0] - mb[0]) / noise;
    }
}
