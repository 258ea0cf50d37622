package org.diffdenoise.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.diffusion.DiffusionDenoiser;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.diffdenoise.image.Phantoms;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.tf.TfNetworks;
import org.diffdenoise.noise.MrKspaceNoise;
import org.diffdenoise.noise.NoiseRealization;

/**
 * Measurement behind docs/benchmarks.md "Multi-coil MR: the noncentral-chi floor" (not a test, not in the product): the
 * coil count N and per-coil sigma read from the background of magnitude MR (the darkest 10 % of 9x9 local means,
 * their mean / SD matched to a chi distribution with 2N degrees of freedom), and the default denoiser's PSNR without
 * and with a correction of the floor: before denoising, y' = sqrt(max(y^2 - 2 (N - 1) sigma^2, 0)) (the energy of N - 1
 * pure-noise channels removed, leaving Rician-like statistics); after, the same on the output. Run:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.diffdenoise.bench.MultiCoilBackgroundSweep}
 */
public final class MultiCoilBackgroundSweep {

    private MultiCoilBackgroundSweep() {
    }

    /** Mean of a unit-scale chi distribution with k degrees of freedom. */
    static double chiMean(double k) {
        return Math.sqrt(2) * Math.exp(logGamma((k + 1) / 2) - logGamma(k / 2));
    }

    // Lanczos approximation (g = 7, 9 terms)
    static double logGamma(double x) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
                12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        x -= 1;
        double a = c[0], t = x + 7.5;
        for (int i = 1; i < 9; i++) a += c[i] / (x + i);
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** {N, sigma, background mean, background SD} of a slice; N = 1, sigma = 0 when the background is constant (masked air). */
    static double[] background(float[] y, int w, int h) {
        float[] local = new float[y.length];
        for (int j = 0; j < h; j++)
            for (int i = 0; i < w; i++) {
                double s = 0;
                int n = 0;
                for (int yy = Math.max(0, j - 4); yy <= Math.min(h - 1, j + 4); yy++)
                    for (int xx = Math.max(0, i - 4); xx <= Math.min(w - 1, i + 4); xx++) {
                        s += y[yy * w + xx];
                        n++;
                    }
                local[j * w + i] = (float) (s / n);
            }
        float[] sorted = local.clone();
        Arrays.sort(sorted);
        float cut = sorted[(int) (0.10 * (sorted.length - 1))];
        double s = 0, s2 = 0;
        int n = 0;
        for (int i = 0; i < y.length; i++)
            if (local[i] <= cut) {
                s += y[i];
                s2 += (double) y[i] * y[i];
                n++;
            }
        double m = s / n, sd = Math.sqrt(Math.max(s2 / n - m * m, 0));
        if (sd <= 0) return new double[] {1, 0, m, sd};
        double q = m / sd, lo = 1, hi = 400;
        for (int it = 0; it < 60; it++) {
            double k = 0.5 * (lo + hi), mu = chiMean(k);
            if (mu / Math.sqrt(Math.max(k - mu * mu, 1e-12)) < q) lo = k;
            else hi = k;
        }
        double k = 0.5 * (lo + hi);
        return new double[] {k / 2, m / chiMean(k), m, sd};
    }

    static FloatImage floorRemoved(FloatImage img, double coils, double sigma) {
        double b = 2 * (coils - 1) * sigma * sigma;
        float[] v = new float[img.data().length];
        for (int i = 0; i < v.length; i++) v[i] = (float) Math.sqrt(Math.max((double) img.data()[i] * img.data()[i] - b, 0));
        return new FloatImage(img.width(), img.height(), v);
    }

    private record Series(String id, List<FloatImage> reference, List<FloatImage> noisy) {
    }

    public static void main(String[] args) throws Exception {
        List<Series> cases = new ArrayList<>();
        for (RealisticCases.Case c : RealisticCases.benchmark(Path.of("external-data"), id -> id.equals("mr-16coil") || id.equals("mr-zerofill") || id.equals("mr-g2"), 0))
            cases.add(new Series(c.id(), c.reference(), c.noisy()));
        for (long seed : new long[] {7001, 7003})
            for (int coils : new int[] {1, 4, 8, 16, 32}) {
                float[] clean = Phantoms.mrLike(192, seed);
                double max = 0;
                for (float v : clean) max = Math.max(max, v);
                NoiseRealization r = new MrKspaceNoise(0.03 * max, 1.5, coils, 1).simulate(clean, 192, 192, new SplittableRandom(seed + coils));
                cases.add(new Series("MR phantom " + seed + ", " + coils + " coils", List.of(new FloatImage(192, 192, r.reference())),
                        List.of(new FloatImage(192, 192, r.noisy()))));
            }
        System.out.println("| series | N read | sigma read (true: 3 % of max) | noisy | default | floor removed before | floor removed after |");
        System.out.println("|---|---|---|---|---|---|---|");
        ModelBundle bundle = TfNetworks.loadOrDefault(null);
        try (DiffusionDenoiser d = DiffusionDenoiser.of(bundle, TfNetworks.open(bundle))) {
            for (Series c : cases) {
                int n = c.noisy().size();
                double[][] bg = new double[n][];
                List<FloatImage> before = new ArrayList<>();
                for (int z = 0; z < n; z++) {
                    FloatImage y = c.noisy().get(z);
                    bg[z] = background(y.data(), y.width(), y.height());
                    before.add(floorRemoved(y, bg[z][0], bg[z][1]));
                }
                List<FloatImage> plain = denoise(d, c.noisy()), pre = denoise(d, before);
                double pn = 0, p0 = 0, p1 = 0, p2 = 0;
                for (int z = 0; z < n; z++) {
                    FloatImage ref = c.reference().get(z);
                    pn += ImageMetrics.psnr(ref, c.noisy().get(z)) / n;
                    p0 += ImageMetrics.psnr(ref, plain.get(z)) / n;
                    p1 += ImageMetrics.psnr(ref, pre.get(z)) / n;
                    p2 += ImageMetrics.psnr(ref, floorRemoved(plain.get(z), bg[z][0], bg[z][1])) / n;
                }
                System.out.printf(Locale.ROOT, "| %s | %.2f | %.3g | %.2f | %.2f | %.2f | %.2f |%n", c.id(), bg[0][0], bg[0][1], pn, p0, p1, p2);
            }
        }
    }

    private static List<FloatImage> denoise(DiffusionDenoiser d, List<FloatImage> slices) {
        return FloatImage.fromStack(d.denoise(FloatImage.toStack(slices), NoiseFamily.RICIAN_MR, DenoiseSettings.defaults(), null, null).denoised());
    }
}
