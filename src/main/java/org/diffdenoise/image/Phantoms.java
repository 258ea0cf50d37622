package org.diffdenoise.image;

import java.util.SplittableRandom;


/**
 * Synthetic training images generated in Java, deterministic for a seed: MR-like (nested ellipses and blobs under a
 * smooth bias field, fine lines, texture) and X-ray-like (overlapping smooth attenuating shapes, trabecular texture,
 * edges). Values are arbitrary positive units; training normalizes them like any other source.
 */
public final class Phantoms {

    private Phantoms() {
    }

    /** An MR-like phantom of size x size pixels. */
    public static float[] mrLike(int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] img = new float[size * size];
        double scale = size * (0.6 + 1.4 * rng.nextDouble()); // object size relative to the field of view
        double cx0 = size * (0.2 + 0.6 * rng.nextDouble()), cy0 = size * (0.2 + 0.6 * rng.nextDouble());
        // head-like outer ellipse with a bright rim and a darker interior
        double outer = 0.45 * scale;
        ellipse(img, size, cx0, cy0, outer, outer * (0.7 + 0.3 * rng.nextDouble()), rng.nextDouble() * Math.PI, 0.9, 1.5);
        ellipse(img, size, cx0, cy0, outer * 0.9, outer * 0.9 * (0.7 + 0.3 * rng.nextDouble()), rng.nextDouble() * Math.PI,
                -0.3 - 0.4 * rng.nextDouble(), 1.5);
        int blobs = 3 + rng.nextInt(12);
        for (int b = 0; b < blobs; b++) {
            double r = scale * (0.02 + 0.15 * rng.nextDouble());
            double cx = cx0 + (rng.nextDouble() - 0.5) * scale * 0.7, cy = cy0 + (rng.nextDouble() - 0.5) * scale * 0.7;
            double amp = (rng.nextDouble() - 0.4) * (0.2 + 0.8 * rng.nextDouble());
            double soft = rng.nextDouble() < 0.5 ? 0.6 : 0.3 + 3 * rng.nextDouble();
            ellipse(img, size, cx, cy, r, r * (0.4 + 0.6 * rng.nextDouble()), rng.nextDouble() * Math.PI, amp, soft);
        }
        int lines = rng.nextInt(6);
        for (int l = 0; l < lines; l++) line(img, size, rng, 0.1 + 0.4 * rng.nextDouble(), 0.5 + 1.5 * rng.nextDouble());
        if (rng.nextDouble() < 0.7) texture(img, size, rng, 0.02 + 0.1 * rng.nextDouble(), 2 + 6 * rng.nextDouble());
        biasField(img, size, rng, 0.1 + 0.3 * rng.nextDouble());
        for (int i = 0; i < img.length; i++) img[i] = Math.max(0f, img[i]);
        return img;
    }

    /** An X-ray-like (projection) phantom of size x size pixels. */
    public static float[] xrayLike(int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        // accumulate attenuation, then transmit: I = I0 exp(-mu), shown like a radiograph (bone bright)
        float[] mu = new float[size * size];
        double scale = size * (0.5 + 1.5 * rng.nextDouble());
        ellipse(mu, size, size * rng.nextDouble(), size * rng.nextDouble(), scale * 0.8, scale * 0.5,
                rng.nextDouble() * Math.PI, 0.3 + 0.5 * rng.nextDouble(), 4 + 10 * rng.nextDouble());
        int bones = 1 + rng.nextInt(4);
        for (int b = 0; b < bones; b++) {
            double cx = size * rng.nextDouble(), cy = size * rng.nextDouble();
            double len = scale * (0.2 + 0.6 * rng.nextDouble()), wid = len * (0.1 + 0.3 * rng.nextDouble());
            double ang = rng.nextDouble() * Math.PI;
            ellipse(mu, size, cx, cy, len, wid, ang, 0.6 + 0.8 * rng.nextDouble(), 1.0 + 2 * rng.nextDouble()); // cortex
            ellipse(mu, size, cx, cy, len * 0.9, wid * 0.6, ang, -0.4 - 0.3 * rng.nextDouble(), 1.0 + 2 * rng.nextDouble()); // marrow
        }
        if (rng.nextDouble() < 0.8) texture(mu, size, rng, 0.05 + 0.15 * rng.nextDouble(), 1.5 + 3 * rng.nextDouble());
        int lines = rng.nextInt(4);
        for (int l = 0; l < lines; l++) line(mu, size, rng, 0.2 + 0.6 * rng.nextDouble(), 0.5 + 1.0 * rng.nextDouble());
        float[] img = new float[size * size];
        double contrast = 0.5 + 2.5 * rng.nextDouble();
        for (int i = 0; i < img.length; i++) img[i] = (float) (1 - Math.exp(-contrast * Math.max(0, mu[i])));
        biasField(img, size, rng, 0.05 + 0.2 * rng.nextDouble());
        return img;
    }

    // adds amp inside a rotated ellipse, with an edge softness of `soft` pixels
    private static void ellipse(float[] img, int size, double cx, double cy, double a, double b, double ang, double amp,
            double soft) {
        double ca = Math.cos(ang), sa = Math.sin(ang);
        double rmin = Math.max(1e-3, Math.min(a, b));
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = x - cx, dy = y - cy;
                double u = (dx * ca + dy * sa) / Math.max(a, 1e-3), v = (-dx * sa + dy * ca) / Math.max(b, 1e-3);
                double r = Math.sqrt(u * u + v * v);
                double d = (r - 1) * rmin / Math.max(soft, 0.3);
                if (d > 6) continue;
                img[y * size + x] += (float) (amp / (1 + Math.exp(d)));
            }
        }
    }

    private static void line(float[] img, int size, SplittableRandom rng, double amp, double width) {
        double x0 = size * rng.nextDouble(), y0 = size * rng.nextDouble();
        double ang = rng.nextDouble() * Math.PI, nx = -Math.sin(ang), ny = Math.cos(ang);
        double curv = (rng.nextDouble() - 0.5) * 0.02;
        double sign = rng.nextDouble() < 0.7 ? 1 : -1;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = x - x0, dy = y - y0;
                double along = dx * Math.cos(ang) + dy * Math.sin(ang);
                double d = dx * nx + dy * ny - curv * along * along;
                double w = Math.exp(-0.5 * d * d / (width * width));
                if (w > 1e-3) img[y * size + x] += (float) (sign * amp * w);
            }
        }
    }

    // band-limited random texture: a sum of random plane waves with wavelengths around `period` pixels
    private static void texture(float[] img, int size, SplittableRandom rng, double amp, double period) {
        int waves = 12;
        double[] kx = new double[waves], ky = new double[waves], ph = new double[waves];
        for (int i = 0; i < waves; i++) {
            double a = rng.nextDouble() * Math.PI * 2, k = 2 * Math.PI / (period * (0.7 + 0.6 * rng.nextDouble()));
            kx[i] = k * Math.cos(a);
            ky[i] = k * Math.sin(a);
            ph[i] = rng.nextDouble() * Math.PI * 2;
        }
        double norm = amp / Math.sqrt(waves / 2.0);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double s = 0;
                for (int i = 0; i < waves; i++) s += Math.cos(kx[i] * x + ky[i] * y + ph[i]);
                int idx = y * size + x;
                // texture only where there is signal, like tissue
                if (img[idx] > 0.05) img[idx] += (float) (norm * s);
            }
        }
    }

    private static void biasField(float[] img, int size, SplittableRandom rng, double strength) {
        double ax = (rng.nextDouble() - 0.5) * 2 * strength, ay = (rng.nextDouble() - 0.5) * 2 * strength;
        double q = (rng.nextDouble() - 0.5) * strength;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double u = (x / (double) size) - 0.5, v = (y / (double) size) - 0.5;
                double f = Math.exp(ax * u + ay * v + q * (u * u + v * v) * 4);
                img[y * size + x] *= (float) f;
            }
        }
    }

    /** Standard normal draw; kept here so phantom code reads on its own. */
    static double gaussian(SplittableRandom rng) {
        return StandardNormal.draw(rng);
    }
}
