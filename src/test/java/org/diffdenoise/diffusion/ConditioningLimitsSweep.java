package org.diffdenoise.diffusion;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.bench.RealisticCases;
import org.diffdenoise.image.FloatImage;

/**
 * Measurement (not a test): how much of a realistic case's result the inference side can still move with the shipped
 * network. PSNR of the default path against the same network conditioned on the simulator's true sigma map (times a
 * factor), on that map's RMS as a constant (does the network use the map's spatial variation?), with other numbers of
 * DDIM steps, and the mean of the default outputs of the input's mirrored and transposed views (a geometric
 * self-ensemble, 4 or 8 times the time). Run:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.diffdenoise.diffusion.ConditioningLimitsSweep [ids]}
 */
public final class ConditioningLimitsSweep {

    static final double[] FACTORS = {0.9, 1, 1.1, 1.2};
    static final int[] STEPS = {1, 3, 4, 6};

    public static void main(String[] args) throws Exception {
        List<String> only = args.length > 0 ? List.of(args[0].split(",")) : null;
        System.out.println("| case | default (2 steps) | true map x0.9 / x1 / x1.1 / x1.2 | its RMS as a constant, same factors | steps 1 / 3 / 4 / 6 | "
                + "mean over mirrored / transposed views |\n|---|---|---|---|---|---|");
        try (DiffusionDenoiser d = org.diffdenoise.pipeline.DenoiserRegistry.diffusion(org.diffdenoise.model.tf.TfNetworks.loadDefault())) {
            for (RealisticCases.Case c : RealisticCases.benchmark(Paths.get("external-data"), id -> only == null || only.contains(id))) {
                DenoiseSettings s = DenoiseSettings.defaults();
                double def = AdaptationSweep.psnr(c, d.denoise(FloatImage.toStack(c.noisy()), c.family(), s, null, null));
                List<String> map = new ArrayList<>(), flat = new ArrayList<>(), steps = new ArrayList<>();
                for (double f : FACTORS) {
                    map.add(fmt(AdaptationSweep.psnr(c, d.denoiseWithMaps(FloatImage.toStack(c.noisy()), c.family(), s, maps(c, f, false)))));
                    flat.add(fmt(AdaptationSweep.psnr(c, d.denoiseWithMaps(FloatImage.toStack(c.noisy()), c.family(), s, maps(c, f, true)))));
                }
                for (int k : STEPS) steps.add(fmt(AdaptationSweep.psnr(c, d.denoise(FloatImage.toStack(c.noisy()), c.family(), s.withSteps(k), null, null))));
                int views = c.noisy().get(0).width() == c.noisy().get(0).height() ? 8 : 4;
                System.out.printf(Locale.ROOT, "| %s | %.2f | %s | %s | %s | %s (%d views) |%n", c.id(), def, String.join(" / ", map),
                        String.join(" / ", flat), String.join(" / ", steps), fmt(ensemble(d, c, views)), views);
            }
        }
        System.exit(0);
    }

    // the true sigma maps times f, or their RMS over the whole stack as a constant
    private static List<float[]> maps(RealisticCases.Case c, double f, boolean constant) {
        double sq = 0;
        long n = 0;
        for (FloatImage m : c.sigmaMaps()) for (float v : m.data()) { sq += (double) v * v; n++; }
        float rms = (float) Math.sqrt(sq / n);
        List<float[]> out = new ArrayList<>();
        for (FloatImage m : c.sigmaMaps()) {
            float[] v = constant ? new float[m.data().length] : m.data().clone();
            if (constant) Arrays.fill(v, rms);
            for (int i = 0; i < v.length; i++) v[i] *= (float) f;
            out.add(v);
        }
        return out;
    }

    // mean of the default outputs of the views (bit 0 mirrors x, bit 1 mirrors y, bit 2 transposes), each mapped back
    private static double ensemble(DiffusionDenoiser d, RealisticCases.Case c, int views) {
        int w = c.noisy().get(0).width(), h = c.noisy().get(0).height(), n = c.noisy().size();
        float[][] sum = new float[n][w * h];
        for (int k = 0; k < views; k++) {
            List<FloatImage> in = new ArrayList<>();
            for (FloatImage f : c.noisy()) in.add(new FloatImage(w, h, view(f.data(), w, h, k, false)));
            List<FloatImage> out = FloatImage.fromStack(d.denoise(FloatImage.toStack(in), c.family(), DenoiseSettings.defaults(), null, null).denoised());
            for (int z = 0; z < n; z++) {
                float[] back = view(out.get(z).data(), w, h, k, true);
                for (int i = 0; i < back.length; i++) sum[z][i] += back[i] / views;
            }
        }
        List<FloatImage> mean = new ArrayList<>();
        for (float[] m : sum) mean.add(new FloatImage(w, h, m));
        return FirstStepBlendSweep.psnr(c.reference(), mean);
    }

    // view k of a w x h image (square when k transposes), or its inverse
    static float[] view(float[] a, int w, int h, int k, boolean inverse) {
        float[] out = new float[a.length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int sx = x, sy = y;
                if (inverse) {
                    if ((k & 1) != 0) sx = w - 1 - sx;
                    if ((k & 2) != 0) sy = h - 1 - sy;
                }
                if ((k & 4) != 0) { int t = sx; sx = sy; sy = t; }
                if (!inverse) {
                    if ((k & 1) != 0) sx = w - 1 - sx;
                    if ((k & 2) != 0) sy = h - 1 - sy;
                }
                out[y * w + x] = a[sy * w + sx];
            }
        return out;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
