package org.diffdenoise.bench.data;

import org.diffdenoise.image.FloatImage;

import java.util.SplittableRandom;

/**
 * Synthetic anatomy-like phantoms for tuning and testing: a head-like ellipse on a zero background with random
 * inner ellipses of different intensities, fine bars and dots (detail), and a smooth shading field. Values are in
 * [0, 1000]. The benchmark uses seeds 900001+ (tuning) and 910001+ (test), apart from any training seed.
 */
public final class BenchPhantom {
    /** Seed of the tuning phantom; test phantoms use TEST_SEED + i. */
    public static final long TUNING_SEED = 900_001L, TEST_SEED = 910_001L;

    private BenchPhantom() {
    }

    /** One phantom slice; {@code z} in [0, 1] moves smoothly through a 3D phantom so that slices are related. */
    public static FloatImage generate(int width, int height, long seed, double z) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] d = new float[width * height];
        int blobs = 10 + rng.nextInt(6);
        double[][] e = new double[blobs][];
        for (int k = 0; k < blobs; k++) {
            e[k] = new double[] {rng.nextDouble(-0.45, 0.45), rng.nextDouble(-0.5, 0.5), rng.nextDouble(0.05, 0.3),
                    rng.nextDouble(0.05, 0.3), rng.nextDouble(0, Math.PI), rng.nextDouble(-350, 350), rng.nextDouble(-0.4, 0.4)};
        }
        double shadeX = rng.nextDouble(-0.2, 0.2), shadeY = rng.nextDouble(-0.2, 0.2);
        double barAngle = rng.nextDouble(0, Math.PI);
        // 3x3 supersampling gives partial-volume edges, as a scanner's point spread function would.
        for (int py = 0; py < height; py++) {
            for (int px = 0; px < width; px++) {
                double acc = 0;
                for (int sy = 0; sy < 3; sy++)
                    for (int sx = 0; sx < 3; sx++)
                        acc += value((px + (sx + 0.5) / 3) / width * 2 - 1, (py + (sy + 0.5) / 3) / height * 2 - 1,
                                z, e, shadeX, shadeY, barAngle);
                d[py * width + px] = (float) (acc / 9);
            }
        }
        return new FloatImage(width, height, d);
    }

    private static double value(double x, double y, double z, double[][] e, double shadeX, double shadeY, double barAngle) {
        {
            {
                double headR = (x * x) / (0.82 * 0.82) + (y * y) / (0.92 * 0.92);
                if (headR > 1) return 0;
                double v = headR > 0.85 ? 750 : 450; // bright rim (scalp/fat), tissue inside
                for (double[] b : e) {
                    double zz = (z - 0.5) - b[6];
                    double scale = Math.max(0, 1 - 4 * zz * zz);
                    if (scale <= 0) continue;
                    double c = Math.cos(b[4]), s = Math.sin(b[4]);
                    double dx = x - b[0], dy = y - b[1];
                    double u = (c * dx + s * dy) / (b[2] * scale), w = (-s * dx + c * dy) / (b[3] * scale);
                    if (u * u + w * w <= 1 && headR < 0.8) v += b[5];
                }
                // fine detail: a patch of bars of increasing frequency and a row of small dots
                double bx = x * Math.cos(barAngle) + y * Math.sin(barAngle);
                if (Math.abs(y + 0.1) < 0.15 && Math.abs(x - 0.25) < 0.2)
                    v += 120 * Math.signum(Math.sin(bx * (20 + 40 * (x - 0.05)) * Math.PI));
                for (int k = 0; k < 6; k++) {
                    double cx = -0.5 + 0.15 * k, cy = 0.45, r = 0.012 + 0.006 * k;
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r) v += 250;
                }
                v *= 1 + shadeX * x + shadeY * y;
                return Math.max(0, Math.min(1000, v));
            }
        }
    }
}
