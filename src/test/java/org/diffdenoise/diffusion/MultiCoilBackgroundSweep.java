package org.diffdenoise.diffusion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.bench.RealisticCases;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.diffdenoise.image.Phantoms;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.tf.TfNetworks;
import org.diffdenoise.noise.CoilFloor;
import org.diffdenoise.noise.MrKspaceNoise;
import org.diffdenoise.noise.MultiCoilBackground;
import org.diffdenoise.noise.NoiseRealization;

/**
 * Measurement behind the multi-coil floor removal (not a test; docs/benchmarks.md "Multi-coil MR: the noncentral-chi
 * floor"): per series the coil count and per-coil sigma read from the background ({@link MultiCoilBackground}), and
 * the default denoiser's PSNR with the floor left in, with the moments' floor alone removed before denoising (the first
 * version), with the shipped removal before denoising (what the denoiser does), and with it applied to the output. Run:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.diffdenoise.diffusion.MultiCoilBackgroundSweep}
 */
public final class MultiCoilBackgroundSweep {

    private MultiCoilBackgroundSweep() {
    }

    private record Series(String id, List<FloatImage> reference, List<FloatImage> noisy) {
    }

    public static void main(String[] args) throws Exception {
        List<Series> cases = new ArrayList<>();
        for (RealisticCases.Case c : RealisticCases.benchmark(Path.of("external-data"), id -> id.equals("mr-16coil") || id.equals("mr-zerofill") || id.equals("mr-g2"), 0))
            cases.add(new Series(c.id(), c.reference(), c.noisy()));
        for (long seed : new long[] {7001, 7002, 7003})
            for (int coils : new int[] {1, 4, 8, 16, 32}) {
                float[] clean = Phantoms.mrLike(192, seed);
                double max = 0;
                for (float v : clean) max = Math.max(max, v);
                NoiseRealization r = new MrKspaceNoise(0.03 * max, 1.5, coils, 1).simulate(clean, 192, 192, new SplittableRandom(seed + coils));
                cases.add(new Series("MR phantom " + seed + ", " + coils + " coils", List.of(new FloatImage(192, 192, r.reference())),
                        List.of(new FloatImage(192, 192, r.noisy()))));
            }
        System.out.println("| series | N read | sigma read | noisy | floor left in | moments only, before denoising | removed before denoising (the default) | removed from the output |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        ModelBundle bundle = TfNetworks.loadOrDefault(null);
        try (DiffusionDenoiser d = DiffusionDenoiser.of(bundle, TfNetworks.open(bundle))) {
            for (Series c : cases) {
                Optional<MultiCoilBackground.Reading> r = MultiCoilBackground.ofSeries(c.noisy().stream()
                        .map(s -> MultiCoilBackground.read(s.data(), s.width(), s.height())).toList());
                List<FloatImage> kept = denoise(d, c.noisy(), false), before = denoise(d, c.noisy(), true);
                // the first version: sqrt(max(y^2 - 2 (N - 1) sigma^2, 0)) alone, which clips half the air to 0
                double energy = r.map(x -> CoilFloor.of(x).energy()).orElse(0.0);
                List<FloatImage> momentsOnly = new ArrayList<>();
                for (FloatImage s : c.noisy()) {
                    float[] v = s.data().clone();
                    for (int i = 0; i < v.length; i++) v[i] = (float) Math.sqrt(Math.max((double) v[i] * v[i] - energy, 0));
                    momentsOnly.add(new FloatImage(s.width(), s.height(), v));
                }
                List<FloatImage> moments = denoise(d, momentsOnly, false);
                int n = c.noisy().size();
                double pn = 0, p0 = 0, p1 = 0, p2 = 0, pm = 0;
                for (int z = 0; z < n; z++) {
                    FloatImage ref = c.reference().get(z), out = kept.get(z);
                    float[] after = out.data().clone();
                    if (r.isPresent()) {
                        CoilFloor floor = CoilFloor.of(r.get());
                        for (int i = 0; i < after.length; i++) after[i] = floor.remove(after[i]);
                    }
                    pn += ImageMetrics.psnr(ref, c.noisy().get(z)) / n;
                    p0 += ImageMetrics.psnr(ref, out) / n;
                    pm += ImageMetrics.psnr(ref, moments.get(z)) / n;
                    p1 += ImageMetrics.psnr(ref, before.get(z)) / n;
                    p2 += ImageMetrics.psnr(ref, new FloatImage(out.width(), out.height(), after)) / n;
                }
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f |%n", c.id(),
                        r.map(x -> String.format(Locale.ROOT, "%.2f", x.coils())).orElse("-"),
                        r.map(x -> String.format(Locale.ROOT, "%.3g", x.sigma())).orElse("-"), pn, p0, pm, p1, p2);
            }
        }
    }

    private static List<FloatImage> denoise(DiffusionDenoiser d, List<FloatImage> slices, boolean removeFloor) {
        return FloatImage.fromStack(d.denoise(FloatImage.toStack(slices), NoiseFamily.RICIAN_MR,
                DenoiseSettings.defaults().withKeepCoilFloor(!removeFloor), ProgressListener.NONE, CancelToken.none()).denoised());
    }
}
