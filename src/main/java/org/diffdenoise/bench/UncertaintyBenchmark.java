package org.diffdenoise.bench;

import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.diffusion.DiffusionDenoiser;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.tf.TfNetworks;
import org.diffdenoise.model.UncertaintyCalibration;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.train.UncertaintyReliability;

/**
 * Does the uncertainty map predict the error? On every MR, CT and X-ray test case of the benchmark, white noise (each
 * test reference at each noise level) and realistic noise ({@link RealisticCases}): the default single deterministic
 * sample and N calibrated samples of the bundle, as a user's run makes them (noise estimated by the denoiser, defaults
 * otherwise, in memory without the DICOM round trip). Per case: the PSNR of the mean of the samples against the single
 * sample, the times, and for the map the denoiser wrote (all pixels; for MR also inside the object, reference above 10 %
 * of its range) a reliability diagram (decile bins of predicted SD vs RMS error: a Markdown table and a PNG), the
 * coverage of |error| <= 2 SD and the correlation with |error|; a PNG of map and |error| side by side; and, as a
 * diagnostic beside the bar, the same judgement with the reference's own noise allowed for. Prints Markdown.
 * Run: {@code java -cp "target/classes:target/lib/*" org.diffdenoise.bench.UncertaintyBenchmark [--model DIR]
 * [--samples 4] [--only ID,...] [--no-white] [--no-realistic] [--draw K] [--png DIR]}; a case id is e.g. "colin27-t1 Rician 5%" or
 * "ct-hann-10", and --only keeps the cases whose id contains one of the given strings.
 */
@Command(name = "uncertainty", mixinStandardHelpOptions = true,
        description = "Benchmark of the uncertainty map: reliability, coverage and correlation on the test cases.")
public final class UncertaintyBenchmark implements Callable<Integer> {

    @Option(names = "--model", description = "model bundle folder (default: the shipped bundle)")
    Path model;
    @Option(names = "--samples", description = "samples per image (default: ${DEFAULT-VALUE})")
    int samples = 4;
    @Option(names = "--external-data", description = "folder with the fetched sample DICOM (default: external-data)")
    Path externalData = Path.of("external-data");
    @Option(names = "--png", description = "folder for the PNGs (default: docs/uncertainty)")
    Path png = Path.of("docs", "uncertainty");
    @Option(names = "--only", split = ",", description = "only the cases whose id contains one of these")
    List<String> only;
    @Option(names = "--no-white", description = "leave out the white-noise cases")
    boolean noWhite;
    @Option(names = "--no-realistic", description = "leave out the realistic-noise cases")
    boolean noRealistic;
    @Option(names = "--draw", description = "another noise draw of the realistic cases (0: the published one)")
    int draw;

    public static void main(String[] args) {
        System.exit(new CommandLine(new UncertaintyBenchmark()).execute(args));
    }

    /** One test case: reference and noisy slices and the family the denoiser is told. */
    record TestCase(String id, String noise, String modality, NoiseFamily family, List<FloatImage> reference, List<FloatImage> noisy) {
    }

    /**
     * Diagnostic, not the bar: the bar's judgement once a case's error scale is known, which needs the reference. The map
     * times the case's RMS error over its RMS, and a spatially constant map at the case's RMS error.
     */
    record ScaleCheck(double scale, UncertaintyReliability atScale, UncertaintyReliability constant) {

        static ScaleCheck of(float[] sd, float[] err) {
            double scale = ImageMetrics.rms(err) / ImageMetrics.rms(sd);
            float[] scaled = sd.clone(), flat = new float[sd.length];
            for (int i = 0; i < scaled.length; i++) scaled[i] *= (float) scale;
            Arrays.fill(flat, (float) ImageMetrics.rms(err));
            return new ScaleCheck(scale, UncertaintyReliability.of(scaled, err), UncertaintyReliability.of(flat, err));
        }

        String row(String id, String pixels) {
            return String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f / %.1f %% | %s | %.2f / %.1f %% | %s |%n", id, pixels, scale,
                    atScale.worstBinFactor(), 100 * atScale.coverage2sd(), atScale.calibrated() ? "yes" : "**no**",
                    constant.worstBinFactor(), 100 * constant.coverage2sd(), constant.calibrated() ? "yes" : "**no**");
        }
    }

    /** The map's statistics over one set of pixels of a case. */
    record Row(String pixels, UncertaintyReliability r) {
    }

    @Override
    public Integer call() throws IOException {
        ModelBundle bundle = TfNetworks.loadOrDefault(model);
        UncertaintyCalibration cal = bundle.metadata().uncertainty();
        if (cal == null) {
            System.err.println("uncertainty: " + bundle + " has no uncertainty calibration; run: diffdenoise model calibrate BUNDLE_DIR");
            return 2;
        }
        Files.createDirectories(png);
        List<TestCase> cases = cases();
        StringBuilder md = new StringBuilder(), diagrams = new StringBuilder();
        md.append("| case | noise | PSNR 1 sample | PSNR mean of ").append(samples).append(" | dB mean - single | s 1 sample | s ").append(samples)
                .append(" samples | pixels | worst bin factor | coverage 2 SD | corr | passes |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        int passAll = 0, passInside = 0, dbOk = 0, passOwn = 0, passScaled = 0, passFlat = 0;
        StringBuilder scaleMd = new StringBuilder("| case | pixels | the case's own scale (RMS error / RMS map) | the map at that scale: worst bin / coverage "
                + "| passes | a constant at the case's RMS error: worst bin / coverage | passes |\n|---|---|---|---|---|---|---|\n");
        StringBuilder ownMd = new StringBuilder("| case | reference's own noise (modality units) | pixels | worst bin factor | coverage 2 SD | passes |\n"
                + "|---|---|---|---|---|---|\n");
        List<String> failing = new ArrayList<>();
        DenoiseSettings one = DenoiseSettings.defaults().withSteps(cal.steps());
        try (DiffusionDenoiser d = DiffusionDenoiser.of(bundle, TfNetworks.open(bundle))) {
            for (TestCase c : cases) {
                long t0 = System.nanoTime();
                List<FloatImage> single = FloatImage.fromStack(d.denoise(FloatImage.toStack(c.noisy()), c.family(), one, null, null).denoised());
                long t1 = System.nanoTime();
                DenoiseResult multi = d.denoise(FloatImage.toStack(c.noisy()), c.family(), one.withSamples(samples), null, null);
                long t2 = System.nanoTime();
                List<FloatImage> mean = FloatImage.fromStack(multi.denoised()), map = FloatImage.fromStack(multi.uncertainty());
                int n = c.reference().size(), wh = c.reference().get(0).data().length;
                float[] err = new float[n * wh], sd = new float[n * wh];
                boolean[] inside = new boolean[n * wh];
                double lo = Double.POSITIVE_INFINITY;
                for (FloatImage r : c.reference()) lo = Math.min(lo, r.min());
                double cut = lo + 0.1 * FloatImage.range(c.reference());
                double psnr1 = 0, psnrN = 0;
                for (int z = 0; z < n; z++) {
                    float[] ref = c.reference().get(z).data();
                    for (int i = 0; i < wh; i++) {
                        err[z * wh + i] = mean.get(z).data()[i] - ref[i];
                        sd[z * wh + i] = map.get(z).data()[i];
                        inside[z * wh + i] = ref[i] > cut;
                    }
                    psnr1 += ImageMetrics.psnr(c.reference().get(z), single.get(z)) / n;
                    psnrN += ImageMetrics.psnr(c.reference().get(z), mean.get(z)) / n;
                }
                List<Row> rows = new ArrayList<>(List.of(new Row("all", UncertaintyReliability.of(sd, err))));
                if (c.family() == NoiseFamily.RICIAN_MR) rows.add(new Row("inside the object", UncertaintyReliability.of(select(sd, inside), select(err, inside))));
                boolean psnrOk = psnrN >= psnr1 - 0.1;
                if (psnrOk) dbOk++;
                // diagnostic: the error is taken against a reference with noise of its own, which no map of the input predicts
                double[] own = new double[n];
                float[] sdOwn = new float[n * wh];
                for (int z = 0; z < n; z++) {
                    own[z] = BenchmarkData.ownNoise(c.reference().get(z));
                    for (int i = 0; i < wh; i++) sdOwn[z * wh + i] = (float) Math.hypot(sd[z * wh + i], own[z]);
                }
                boolean mr = c.family() == NoiseFamily.RICIAN_MR;
                UncertaintyReliability withOwn = mr ? UncertaintyReliability.of(select(sdOwn, inside), select(err, inside))
                        : UncertaintyReliability.of(sdOwn, err);
                boolean ownPass = withOwn.calibrated() && psnrOk;
                if (ownPass) passOwn++;
                ownMd.append(String.format(Locale.ROOT, "| %s | %.3g | %s | %.2f | %.1f %% | %s |%n", c.id(), Arrays.stream(own).average().orElse(0),
                        mr ? "inside the object" : "all", withOwn.worstBinFactor(), 100 * withOwn.coverage2sd(), ownPass ? "yes" : "**no**"));
                ScaleCheck scale = ScaleCheck.of(mr ? select(sd, inside) : sd, mr ? select(err, inside) : err);
                if (scale.atScale().calibrated()) passScaled++;
                if (scale.constant().calibrated()) passFlat++;
                scaleMd.append(scale.row(c.id(), mr ? "inside the object" : "all"));
                boolean first = true;
                for (Row r : rows) {
                    boolean pass = r.r().calibrated() && psnrOk;
                    if (r.pixels().equals("all") && pass) passAll++;
                    if ((r.pixels().equals("inside the object") || c.family() != NoiseFamily.RICIAN_MR) && pass) passInside++;
                    if (!pass) failing.add(c.id() + " (" + r.pixels() + ")");
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %.2f | %.1f %% | %.2f | %s |%n",
                            first ? c.id() + " (" + c.modality() + ")" : "", first ? c.noise() : "",
                            first ? String.format(Locale.ROOT, "%.2f", psnr1) : "", first ? String.format(Locale.ROOT, "%.2f", psnrN) : "",
                            first ? String.format(Locale.ROOT, "%+.2f", psnrN - psnr1) : "",
                            first ? String.format(Locale.ROOT, "%.2f", (t1 - t0) / 1e9) : "", first ? String.format(Locale.ROOT, "%.2f", (t2 - t1) / 1e9) : "",
                            r.pixels(), r.r().worstBinFactor(), 100 * r.r().coverage2sd(), r.r().correlation(), pass ? "yes" : "**no**"));
                    diagrams.append("| ").append(c.id()).append(" | ").append(r.pixels()).append(" |");
                    for (int b = 0; b < UncertaintyReliability.BINS; b++)
                        diagrams.append(String.format(Locale.ROOT, " %.3g / %.3g |", r.r().binMeanSd()[b], r.r().binRmsError()[b]));
                    diagrams.append('\n');
                    first = false;
                }
                String file = fileName(c.id());
                reliabilityPng(png.resolve("reliability_" + file + ".png"), c.id(), rows);
                mapPng(png.resolve("map_" + file + ".png"), map.get(n / 2), mean.get(n / 2), c.reference().get(n / 2));
                System.err.printf(Locale.ROOT, "[uncertainty] %s done%n", c.id());
            }
        }
        System.out.println("Model: " + bundle + "; calibration: eta " + cal.eta() + ", steps " + cal.steps() + ", fitted " + cal.fitted()
                + (cal.tables() != null && !cal.tables().isEmpty() ? " (error tables)" : " (spread + noise formula)") + "\n");
        System.out.println(md);
        System.out.println("Reliability diagrams (mean predicted SD / RMS error per decile bin of the predicted SD, modality units):\n");
        System.out.print("| case | pixels |");
        for (int b = 1; b <= UncertaintyReliability.BINS; b++) System.out.print(" bin " + b + " |");
        System.out.println("\n|---|---|" + "---|".repeat(UncertaintyReliability.BINS));
        System.out.println(diagrams);
        System.out.printf(Locale.ROOT, "Cases meeting the bar: %d of %d inside the object (MR judged inside the object, CT and X-ray over all "
                + "pixels), %d of %d over all pixels; mean of the samples within 0.1 dB of the single sample: %d of %d.%n",
                passInside, cases.size(), passAll, cases.size(), dbOk, cases.size());
        System.out.println("Failing: " + (failing.isEmpty() ? "none" : String.join("; ", failing)));
        System.out.println("\nDiagnostic, not the bar: the same judgement with the reference's own noise allowed for (predicted SD "
                + "sqrt(map^2 + own^2), own = the reference slice's wavelet noise estimate, as the white-noise benchmark's \"own noise\" "
                + "column; MR inside the object):\n");
        System.out.println(ownMd);
        System.out.printf(Locale.ROOT, "With the reference's own noise allowed for: %d of %d.%n", passOwn, cases.size());
        System.out.println("\nDiagnostic, not the bar: the same judgement once each case's error scale is known (it needs the reference): the map "
                + "multiplied by the case's RMS error over its RMS, and a spatially constant map at the case's RMS error (its decile bins are then "
                + "bands of pixels in raster order); MR inside the object:\n");
        System.out.println(scaleMd);
        System.out.printf(Locale.ROOT, "At each case's own scale: the map %d of %d, a constant %d of %d.%n", passScaled, cases.size(), passFlat, cases.size());
        return 0;
    }

    /** The white-noise cases (each test reference at each level) and the realistic ones, filtered by the options. */
    List<TestCase> cases() throws IOException {
        List<TestCase> out = new ArrayList<>();
        if (!noWhite) {
            long seed = 31;
            for (BenchmarkData.Reference ref : BenchmarkData.references(externalData, true, n -> true)) {
                for (double[] level : BenchmarkPlan.levels(ref.modality())) {
                    String label = BenchmarkPlan.levelLabel(ref.modality(), level);
                    NoiseModel nm = BenchmarkPlan.noiseModel(ref.modality(), level, FloatImage.range(ref.slices()));
                    SplittableRandom rng = new SplittableRandom(seed++);
                    String id = ref.name() + " " + label;
                    if (!wanted(id)) continue;
                    List<FloatImage> noisy = new ArrayList<>();
                    for (FloatImage s : ref.slices()) noisy.add(new FloatImage(s.width(), s.height(), nm.degrade(s.data(), rng)));
                    out.add(new TestCase(id, label, ref.modality(), ref.family(), ref.slices(), noisy));
                }
            }
        }
        if (!noRealistic)
            for (RealisticCases.Case c : RealisticCases.benchmark(externalData, this::wanted, draw))
                out.add(new TestCase(c.id(), c.label(), c.modality(), c.family(), c.reference(), c.noisy()));
        return out;
    }

    private boolean wanted(String id) {
        return only == null || only.stream().anyMatch(id::contains);
    }

    /** Reliability diagram of each set of pixels (decile bins, log-log, the diagonal and the bar's band). */
    static void reliabilityPng(Path file, String title, List<Row> rows) throws IOException {
        ReliabilityDiagram.write(file, title, rows.stream().map(r -> new ReliabilityDiagram.Curve(r.pixels(), r.r())).toList());
    }

    /**
     * The middle slice's map and |error| side by side (its central 256 x 256 when larger), both in modality units on
     * one grey scale (0 to twice the map's maximum).
     */
    static void mapPng(Path file, FloatImage map, FloatImage mean, FloatImage reference) throws IOException {
        float[] abs = new float[map.data().length];
        for (int i = 0; i < abs.length; i++) abs[i] = Math.abs(mean.data()[i] - reference.data()[i]);
        FloatImage err = new FloatImage(map.width(), map.height(), abs);
        int cw = Math.min(map.width(), 256), ch = Math.min(map.height(), 256);
        map = map.centerCrop(cw, ch);
        err = err.centerCrop(cw, ch);
        LinkedHashMap<String, FloatImage> panels = new LinkedHashMap<>();
        panels.put("estimated error SD", map);
        panels.put("|error|", err);
        Plots.montage(file, panels, 0, 2 * map.max(), 1);
    }

    static String fileName(String id) {
        return id.toLowerCase(Locale.ROOT).replace("%", "").replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    private static float[] select(float[] v, boolean[] keep) {
        float[] out = new float[v.length];
        int k = 0;
        for (int i = 0; i < v.length; i++) if (keep[i]) out[k++] = v[i];
        return Arrays.copyOf(out, k);
    }
}
