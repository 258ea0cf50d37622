package org.diffdenoise.bench;

import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.classical.ClassicalDenoiser;
import org.diffdenoise.noise.CoilFloor;
import org.diffdenoise.noise.Fft;
import org.diffdenoise.noise.MultiCoilBackground;
import org.diffdenoise.noise.NoiseFieldEstimator;

/**
 * The realistic-noise benchmark ({@link RealisticCases}): every method denoises with noise levels it estimated itself
 * (the diffusion model with its default settings, i.e. {@link NoiseFieldEstimator}'s map; each classical baseline with
 * its default strength and its own white-noise Haar-MAD estimate, and again with the rms of NoiseFieldEstimator's
 * map), then the classical baselines tuned with oracle knowledge (true rms noise std, strength chosen by PSNR against
 * the reference over their tuning grid) in a separate table. Metrics over the series: PSNR, SSIM, the residual's
 * correlation with the image's edges, and the noise power left in three frequency bands (the residual's power
 * spectrum over the input noise's: 1 = untouched, 0 = removed). Slices go straight to the denoisers (no DICOM round
 * trip: the white-noise benchmark covers that path). The row "diffusion --adapt" is the model with per-series
 * adaptation (its seconds include the adaptation; what it chose is printed below the tables). Run:
 * {@code java -cp target/classes:$(cat cp.txt) org.diffdenoise.bench.RealisticBenchmark [--model DIR|default] [--only id,...] [--no-oracle] [--draw K] [--white]}
 * ({@code --draw K}: another noise draw of every case, 0 the published one; {@code --white}: the white-noise
 * benchmark's references and levels instead, under this protocol: every method estimating its own noise)
 */
public final class RealisticBenchmark {

    record Score(double psnr, double ssim, double edge, double[] bands, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        String model = "default";
        List<String> only = null;
        boolean oracle = true;
        int draw = 0;
        boolean white = false;
        Path data = Paths.get("external-data");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = args[++i];
                case "--only" -> only = Arrays.asList(args[++i].split(","));
                case "--no-oracle" -> oracle = false;
                case "--external-data" -> data = Paths.get(args[++i]);
                case "--draw" -> draw = Integer.parseInt(args[++i]);
                case "--white" -> white = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> want = only;
        Predicate<String> selected = id -> want == null || want.contains(id);
        List<RealisticCases.Case> cases = white ? RealisticCases.white(data, selected) : RealisticCases.benchmark(data, selected, draw);
        List<ClassicalDenoiser> protos = BenchmarkPlan.baselines(List.of("gaussian", "median", "nlm", "tv", "wavelet"));
        Denoiser ours = org.diffdenoise.pipeline.DenoiserRegistry.diffusion(model == null || model.equals("default") ? null : Path.of(model));
        System.out.println("model: " + ours.describe());
        Map<String, Map<String, Score>> self = new LinkedHashMap<>(), orc = new LinkedHashMap<>();
        Map<String, String> adaptations = new LinkedHashMap<>();
        for (RealisticCases.Case c : cases) {
            Map<String, Score> row = new LinkedHashMap<>();
            row.put("noisy", score(c, c.noisy(), 0));
            row.put("diffusion", run(ours, c, Double.NaN));
            long ta = System.nanoTime();
            DenoiseResult adapted = ours.denoise(FloatImage.toStack(c.noisy()), c.family(), DenoiseSettings.defaults().withAdapt(true),
                    ProgressListener.NONE, CancelToken.none());
            double adaptSeconds = (System.nanoTime() - ta) / 1e9;
            row.put("diffusion --adapt", score(c, FloatImage.fromStack(adapted.denoised()), adaptSeconds / c.noisy().size()));
            adaptations.put(c.id(), String.format(Locale.ROOT, "%s (whole series %.1f s)", adapted.adaptation(), adaptSeconds));
            double fieldSigma = 0;
            for (FloatImage s : c.noisy()) fieldSigma += NoiseFieldEstimator.estimate(s.data(), s.width(), s.height(), c.family()).sigma() / c.noisy().size();
            for (ClassicalDenoiser p : protos) {
                row.put(p.id(), run(p, c, Double.NaN));
                row.put(p.id() + "+field", run(p, c, fieldSigma));
            }
            // multi-coil MR: the classical methods also get the floor removed, as the diffusion denoiser removes it
            List<FloatImage> floorless = withoutCoilFloor(c);
            if (floorless != null) {
                double floorlessField = 0;
                for (FloatImage s : floorless) floorlessField += NoiseFieldEstimator.estimate(s.data(), s.width(), s.height(), c.family()).sigma() / floorless.size();
                for (ClassicalDenoiser p : protos) {
                    row.put(p.id() + "+floor", run(p, floorless, c, Double.NaN));
                    row.put(p.id() + "+floor+field", run(p, floorless, c, floorlessField));
                }
            }
            self.put(c.id(), row);
            System.err.printf(Locale.ROOT, "[realistic] %s self-estimated done%n", c.id());
            if (oracle) {
                Map<String, Score> o = new LinkedHashMap<>();
                for (ClassicalDenoiser p : protos) {
                    Score best = null;
                    for (double s : p.tuningGrid()) {
                        Score sc = run(p.withStrength(s), c, c.trueSigma());
                        if (best == null || sc.psnr() > best.psnr()) best = sc;
                    }
                    o.put(p.id(), best);
                }
                orc.put(c.id(), o);
            }
            System.err.printf(Locale.ROOT, "[realistic] %s done%n", c.id());
        }
        print(cases, self, "Self-estimated noise levels (headline)");
        if (oracle) print(cases, orc, "Classical baselines with oracle noise level and strength");
        System.out.println();
        System.out.println("### What --adapt chose");
        System.out.println();
        System.out.println("| case | --adapt PSNR change | adaptation |");
        System.out.println("|---|---|---|");
        for (Map.Entry<String, String> e : adaptations.entrySet()) {
            Map<String, Score> row = self.get(e.getKey());
            System.out.printf(Locale.ROOT, "| %s | %+.2f dB | %s |%n", e.getKey(), row.get("diffusion --adapt").psnr() - row.get("diffusion").psnr(), e.getValue());
        }
        ours.close();
        // TensorFlow's native threads would keep the JVM alive after main returns
        System.exit(0);
    }

    static Score run(Denoiser d, RealisticCases.Case c, double sigma) {
        return run(d, c.noisy(), c, sigma);
    }

    /** Denoises {@code input} (the case's noisy slices, or a corrected copy of them) and scores it as case {@code c}. */
    static Score run(Denoiser d, List<FloatImage> input, RealisticCases.Case c, double sigma) {
        DenoiseSettings st = DenoiseSettings.defaults().withNoiseSigma(sigma);
        long t0 = System.nanoTime();
        DenoiseResult r = d.denoise(FloatImage.toStack(input), c.family(), st, ProgressListener.NONE, CancelToken.none());
        double sec = (System.nanoTime() - t0) / 1e9 / input.size();
        return score(c, FloatImage.fromStack(r.denoised()), sec);
    }

    /** The noisy slices of a multi-coil MR case with their background floor removed ({@link MultiCoilBackground}); null otherwise. */
    static List<FloatImage> withoutCoilFloor(RealisticCases.Case c) {
        if (c.family() != NoiseFamily.RICIAN_MR) return null;
        FloatImage first = c.noisy().get(0);
        Optional<CoilFloor> found = MultiCoilBackground.background(z -> c.noisy().get(z).data(), c.noisy().size(), first.width(), first.height()).floor();
        if (found.isEmpty()) return null;
        CoilFloor floor = found.get();
        List<FloatImage> out = new ArrayList<>();
        for (FloatImage s : c.noisy()) {
            float[] v = s.data().clone();
            for (int i = 0; i < v.length; i++) v[i] = floor.remove(v[i]);
            out.add(new FloatImage(s.width(), s.height(), v));
        }
        return out;
    }

    static Score score(RealisticCases.Case c, List<FloatImage> out, double seconds) {
        double p = 0, s = 0, e = 0;
        int n = c.reference().size();
        double[] bands = new double[3];
        for (int z = 0; z < n; z++) {
            FloatImage ref = c.reference().get(z), o = out.get(z), noisy = c.noisy().get(z);
            p += ImageMetrics.psnr(ref, o) / n;
            s += ImageMetrics.ssim(ref, o) / n;
            e += ImageMetrics.residualEdgeCorrelation(ref, noisy, o) / n;
            double[] bo = bandPower(ref, o), bn = bandPower(ref, noisy);
            for (int b = 0; b < 3; b++) bands[b] += bo[b] / bn[b] / n;
        }
        return new Score(p, s, e, bands, seconds);
    }

    /** Power of (x - ref) in radial frequency bands [0, 1/8), [1/8, 1/4), [1/4, 1/2] cycles per pixel. */
    static double[] bandPower(FloatImage ref, FloatImage x) {
        int w = ref.width(), h = ref.height();
        double[] re = new double[w * h], im = new double[w * h];
        for (int i = 0; i < re.length; i++) re[i] = x.data()[i] - ref.data()[i];
        Fft.transform2d(re, im, w, h, false);
        double[] b = new double[3];
        for (int y = 0; y < h; y++)
            for (int xx = 0; xx < w; xx++) {
                double fy = Fft.signedIndex(y, h) / (double) h, fx = Fft.signedIndex(xx, w) / (double) w;
                double f = Math.hypot(fx, fy);
                int k = f < 0.125 ? 0 : f < 0.25 ? 1 : 2;
                b[k] += re[y * w + xx] * re[y * w + xx] + im[y * w + xx] * im[y * w + xx];
            }
        return b;
    }

    static void print(List<RealisticCases.Case> cases, Map<String, Map<String, Score>> table, String title) {
        System.out.println();
        System.out.println("### " + title);
        System.out.println();
        System.out.println("| case | noise | method | PSNR | SSIM | residual-edge corr. | noise left low / mid / high freq. | s/slice |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (RealisticCases.Case c : cases) {
            Map<String, Score> row = table.get(c.id());
            if (row == null) continue;
            String bestClassical = null;
            double bestP = Double.NEGATIVE_INFINITY;
            for (Map.Entry<String, Score> e : row.entrySet()) {
                if (e.getKey().equals("noisy") || e.getKey().startsWith("diffusion")) continue;
                if (e.getValue().psnr() > bestP) { bestP = e.getValue().psnr(); bestClassical = e.getKey(); }
            }
            for (Map.Entry<String, Score> e : row.entrySet()) {
                Score s = e.getValue();
                String name = e.getKey();
                if (name.equals(bestClassical)) name = "**" + name + "** (best classical)";
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %.2f | %.3f | %.3f | %.2f / %.2f / %.2f | %s |%n", c.id(), c.label(), name,
                        s.psnr(), s.ssim(), s.edge(), s.bands()[0], s.bands()[1], s.bands()[2], s.seconds() > 0 ? String.format(Locale.ROOT, "%.2f", s.seconds()) : "");
            }
            Score d = row.get("diffusion");
            if (d != null && bestClassical != null)
                System.out.printf(Locale.ROOT, "| %s | | margin over best classical | %+.2f dB | %+.3f | | | |%n", c.id(), d.psnr() - bestP,
                        d.ssim() - row.get(bestClassical).ssim());
        }
    }
}
