package org.diffdenoise.diffusion;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.bench.RealisticCases;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.diffdenoise.noise.GaussianNoise;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.noise.RicianNoise;

/**
 * Measurement behind {@code --adapt} (not a test): for each realistic case and a few white-noise cases, the PSNR of
 * the shipped model with the sigma maps times each candidate factor (the oracle curve), and what the blind-spot loss
 * picks. Run: {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.diffdenoise.diffusion.AdaptationSweep [ids]}
 */
public final class AdaptationSweep {

    public static void main(String[] args) throws Exception {
        boolean curve = !List.of(args).contains("--choice-only");
        List<String> only = args.length > 0 && !args[0].startsWith("--") ? List.of(args[0].split(",")) : null;
        List<RealisticCases.Case> cases = new ArrayList<>(RealisticCases.benchmark(Paths.get("external-data"), id -> only == null || only.contains(id)));
        cases.addAll(whiteCases(only));
        try (DiffusionDenoiser d = org.diffdenoise.pipeline.DenoiserRegistry.diffusion(org.diffdenoise.model.tf.TfNetworks.loadDefault())) {
            for (RealisticCases.Case c : cases) {
                StringBuilder sb = new StringBuilder(c.id() + ":");
                if (curve) for (double s : ConditioningAdaptation.SCALES) sb.append(String.format(Locale.ROOT, " x%.2f %.2f", s, psnr(c, run(d, c, s, false))));
                ConditioningAdaptation.Choice ch = d.adaptationChoice(FloatImage.toStack(c.noisy()), c.family(), DenoiseSettings.defaults());
                sb.append(String.format(Locale.ROOT, " | picks x%.2f in %.1f s;", ch.scale(), ch.seconds()));
                sb.append(String.format(Locale.ROOT, " series minimum x%.2f, control minimum x%.2f", ch.seriesMinimum(), ch.controlMinimum()));
                int ns = ConditioningAdaptation.SCALES.length;
                if (ch.losses().length == 2 * ns) {
                    sb.append("\n   series loss / loss(x1) - 1:");
                    for (int k = 0; k < ns; k++) sb.append(String.format(Locale.ROOT, " %+.3f", ch.losses()[k] / ch.losses()[4] - 1));
                    sb.append("\n  control loss / loss(x1) - 1:");
                    for (int k = 0; k < ns; k++) sb.append(String.format(Locale.ROOT, " %+.3f", ch.losses()[ns + k] / ch.losses()[ns + 4] - 1));
                }
                System.out.println(sb);
            }
        }
        System.exit(0);
    }

    static List<RealisticCases.Case> whiteCases(List<String> only) throws Exception {
        List<RealisticCases.Case> out = new ArrayList<>();
        List<RealisticCases.Case> base = RealisticCases.benchmark(Paths.get("external-data"), id -> id.equals("ct-ramp-25") || id.equals("mr-g2"));
        for (RealisticCases.Case b : base) {
            boolean ct = b.family() == NoiseFamily.GAUSSIAN_CT;
            double range = FloatImage.range(b.reference());
            for (double f : new double[] {0.02, 0.05}) {
                String id = (ct ? "white-ct-" : "white-mr-") + Math.round(100 * f);
                if (only != null && !only.contains(id)) continue;
                NoiseModel m = ct ? new GaussianNoise(f * range) : new RicianNoise(f * range);
                List<FloatImage> noisy = new ArrayList<>(), maps = new ArrayList<>();
                SplittableRandom rng = new SplittableRandom(7);
                for (FloatImage r : b.reference()) {
                    noisy.add(new FloatImage(r.width(), r.height(), m.degrade(r.data(), rng.split())));
                    maps.add(new FloatImage(r.width(), r.height(), m.sigmaMap(r.data())));
                }
                out.add(new RealisticCases.Case(id, id, b.source(), b.modality(), b.family(), b.reference(), noisy, maps));
            }
        }
        return out;
    }

    static DenoiseResult run(DiffusionDenoiser d, RealisticCases.Case c, double scale, boolean adapt) {
        DenoiseSettings st = DenoiseSettings.defaults().withAdapt(adapt);
        return d.denoise(FloatImage.toStack(c.noisy()), c.family(), st, ProgressListener.NONE, CancelToken.none(), scale);
    }

    public static double psnr(RealisticCases.Case c, DenoiseResult r) {
        List<FloatImage> out = FloatImage.fromStack(r.denoised());
        double p = 0;
        for (int z = 0; z < out.size(); z++) p += ImageMetrics.psnr(c.reference().get(z), out.get(z)) / out.size();
        return p;
    }
}
