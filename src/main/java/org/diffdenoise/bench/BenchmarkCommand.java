package org.diffdenoise.bench;

import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.diffdenoise.noise.NoiseStatistics;

import com.google.gson.GsonBuilder;
import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.classical.ClassicalDenoiser;
import org.diffdenoise.pipeline.DenoiserRegistry;
import org.diffdenoise.bench.data.BenchPhantom;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.Version;
import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DicomBackend;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.Provenance;
import org.diffdenoise.dicom.SeriesWriteResult;
import org.diffdenoise.dicom.StudyScan;
import org.diffdenoise.dicom.SyntheticSeriesWriter;
import org.diffdenoise.noise.GaussianNoise;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.noise.PoissonGaussianNoise;
import org.diffdenoise.noise.RicianNoise;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Runs the benchmark: classical baselines (tuned on a phantom) and the diffusion denoiser on degraded real and
 * synthetic images through DICOM series, then writes docs/benchmarks.md, PNG plots and benchmarks.json.
 * Run: {@code mvn -q -o compile exec:java -Dexec.mainClass=org.diffdenoise.bench.BenchmarkCommand} or
 * {@code java -cp ... org.diffdenoise.bench.BenchmarkCommand [--full] [--out docs]}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark the denoisers and write docs/benchmarks.md")
public final class BenchmarkCommand implements Callable<Integer> {

    @Option(names = "--out", description = "output folder for benchmarks.md and PNG plots (default: docs)")
    Path out = Path.of("docs");
    @Option(names = "--json", description = "JSON results file (default: <out>/benchmarks.json)")
    Path json;
    @Option(names = "--full", description = "all references at full size, all speed sizes and steps")
    boolean full;
    @Option(names = "--quick", description = "the default: small set sized for ~10 minutes on 2 cores")
    boolean quick;
    @Option(names = "--denoiser", description = "diffusion model: default, a bundle path, or none")
    String denoiser = "default";
    @Option(names = "--methods", split = ",", description = "baselines to run (default: gaussian,median,nlm,tv,wavelet)")
    List<String> methods = List.of("gaussian", "median", "nlm", "tv", "wavelet");
    @Option(names = "--only", split = ",", description = "restrict to these references (ids as in the report)")
    List<String> only;
    @Option(names = "--crop", description = "crop every reference to its central NxN (0 = no crop)")
    int crop;
    @Option(names = "--no-speed", description = "skip the speed section")
    boolean noSpeed;
    @Option(names = "--no-real", description = "skip the real noisy XA series")
    boolean noReal;
    @Option(names = "--external-data", description = "folder with the fetched sample DICOM (default: external-data)")
    Path externalData = Path.of("external-data");
    @Option(names = "--work", description = "scratch folder for the DICOM series (default: target/bench-work)")
    Path work = Path.of("target", "bench-work");

    private final BenchmarkReport report = new BenchmarkReport();
    private long peakHeap;

    public static void main(String[] args) {
        int rc = new CommandLine(new BenchmarkCommand()).execute(args);
        System.exit(rc);
    }

    /** Noise levels per modality; relative to the reference's range. */
    static List<double[]> levels(String modality) {
        return switch (modality) {
            case "MR" -> List.of(new double[] {0.02}, new double[] {0.05}, new double[] {0.10});
            case "CT" -> List.of(new double[] {0.01}, new double[] {0.03});
            default -> List.of(new double[] {2e-4, 0.005}, new double[] {2e-3, 0.005}); // gain, read noise
        };
    }

    static String levelLabel(String modality, double[] l) {
        return switch (modality) {
            case "MR" -> String.format(Locale.ROOT, "Rician %.0f%%", 100 * l[0]);
            case "CT" -> String.format(Locale.ROOT, "Gaussian %.0f%%", 100 * l[0]);
            default -> l[0] < 1e-3 ? "PG high dose" : "PG low dose";
        };
    }

    static NoiseModel noiseModel(String modality, double[] l, double range) {
        return switch (modality) {
            case "MR" -> new RicianNoise(l[0] * range);
            case "CT" -> new GaussianNoise(l[0] * range);
            default -> new PoissonGaussianNoise(l[0] * range, l[1] * range);
        };
    }

    /** Oracle noise sigma passed to the denoisers: the true sigma (MR, CT); NaN (estimate) for X-ray. */
    static double oracleSigma(NoiseModel m) {
        if (m instanceof RicianNoise r) return r.sigma();
        if (m instanceof GaussianNoise g) return g.sigma();
        return Double.NaN;
    }

    /** The baselines by name, from the product's registry (their strengths are tuned per level by {@link #tune}). */
    static List<ClassicalDenoiser> baselines(List<String> ids) {
        List<ClassicalDenoiser> out = new ArrayList<>();
        for (String id : ids) {
            DenoiserRegistry.Method m = DenoiserRegistry.method(id);
            if (m == DenoiserRegistry.Method.diffusion)
                throw new IllegalArgumentException("--methods takes the classical baselines (gaussian, median, nlm, tv, wavelet)");
            out.add(DenoiserRegistry.classical(m));
        }
        return out;
    }

    /** "default" (the shipped bundle), a bundle folder, or "none". */
    private static Optional<Denoiser> diffusionDenoiser(String spec) {
        if (spec.equals("none")) return Optional.empty();
        try {
            return Optional.of(DenoiserRegistry.diffusion(spec.equals("default") ? null : Path.of(spec)));
        } catch (java.io.UncheckedIOException e) {
            throw new java.io.UncheckedIOException("cannot load model bundle '" + spec + "': " + e.getMessage(), e.getCause());
        }
    }

    /** Picks the strength with the best PSNR on the tuning phantom at this noise level. */
    ClassicalDenoiser tune(ClassicalDenoiser proto, String modality, double[] level) {
        FloatImage clean = BenchmarkData.tuningImage();
        NoiseModel nm = noiseModel(modality, level, clean.range());
        FloatImage noisy = new FloatImage(clean.width(), clean.height(), nm.degrade(clean.data(), new SplittableRandom(777)));
        ClassicalDenoiser base = nm instanceof PoissonGaussianNoise pg ? proto.withXrayNoise(pg) : proto;
        NoiseFamily fam = NoiseFamily.forModality(modality);
        double best = Double.NEGATIVE_INFINITY;
        ClassicalDenoiser bestD = base;
        for (double s : base.tuningGrid()) {
            ClassicalDenoiser d = base.withStrength(s);
            double p = ImageMetrics.psnr(clean, d.denoiseSlice(noisy, fam, oracleSigma(nm)));
            if (p > best) { best = p; bestD = d; }
        }
        report.tuning.add(new BenchmarkReport.Tuning(proto.id(), modality, levelLabel(modality, level), bestD.strength(),
                bestD.strengthMeaning(), best));
        return bestD;
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        boolean quickRun = !full;
        Files.createDirectories(out);
        if (json == null) json = out.resolve("benchmarks.json");
        Denoiser diffusion = diffusionDenoiser(denoiser).orElse(null);  // null: --denoiser none
        List<ClassicalDenoiser> protos = baselines(methods);
        List<BenchmarkData.Reference> refs = BenchmarkData.references(externalData, quickRun, n -> only == null || only.contains(n));
        if (refs.isEmpty()) throw new IllegalArgumentException("no references selected by --only " + only);
        report.machine = BenchmarkReport.Machine.detect();
        report.mode = quickRun ? "quick" : "full";
        report.diffusion = diffusion == null ? "not available in this build" : diffusion.describe().toString();
        Map<String, ClassicalDenoiser> tuned = new LinkedHashMap<>();
        for (BenchmarkData.Reference ref0 : refs) {
            BenchmarkData.Reference ref = crop > 0 ? cropped(ref0, crop) : ref0;
            double own = 0;
            for (FloatImage sl : ref.slices())
                own += org.diffdenoise.noise.NoiseLevelEstimator.gaussian(sl.data(), sl.width(), sl.height()).sigma()
                        / Math.max(sl.range(), 1e-12) / ref.slices().size();
            report.references.add(new BenchmarkReport.Ref(ref.name(), ref.modality(), ref.source(), ref.slices().get(0).width(),
                    ref.slices().get(0).height(), ref.slices().size(), own));
            double range = range(ref.slices());
            List<double[]> lv = levels(ref.modality());
            for (int li = 0; li < lv.size(); li++) {
                double[] level = lv.get(li);
                String label = levelLabel(ref.modality(), level);
                NoiseModel nm = noiseModel(ref.modality(), level, range);
                SplittableRandom rng = new SplittableRandom(31L * ref.name().hashCode() + li);
                List<FloatImage> noisy = new ArrayList<>();
                for (FloatImage s : ref.slices()) noisy.add(new FloatImage(s.width(), s.height(), nm.degrade(s.data(), rng)));
                // the real path: write the noisy series, read it back, denoise, write the derived series, read it back
                Path caseDir = work.resolve(ref.name() + "-" + li);
                deleteTree(caseDir);
                writeSeries(noisy, ref.modality(), caseDir.resolve("input"), 1, "noisy " + label);
                DicomBackend dicom = Dicom.backend();
                DicomSeries source = loadOnly(dicom, caseDir.resolve("input"));
                List<FloatImage> input = FloatImage.fromStack(source.pixels());
                Map<String, FloatImage> panels = new LinkedHashMap<>();
                panels.put("clean", ref.slices().get(ref.slices().size() / 2));
                panels.put("noisy " + label, input.get(input.size() / 2));
                addRow(ref, label, "noisy", "", input, input, 0, panels);
                List<Denoiser> ds = new ArrayList<>();
                for (ClassicalDenoiser p : protos) {
                    String key = p.id() + "|" + ref.modality() + "|" + label;
                    ClassicalDenoiser d = tuned.computeIfAbsent(key, k -> tune(p, ref.modality(), level));
                    ds.add(nm instanceof PoissonGaussianNoise pg ? d.withXrayNoise(pg) : d);
                }
                if (diffusion != null) ds.add(diffusion);
                for (Denoiser d : ds) {
                    DenoiseSettings st = DenoiseSettings.defaults().withNoiseSigma(oracleSigma(nm));
                    long a = System.nanoTime();
                    DenoiseResult r = d.denoise(FloatImage.toStack(input), ref.family(), st, ProgressListener.NONE, CancelToken.none());
                    double sec = (System.nanoTime() - a) / 1e9;
                    sampleMemory();
                    String id = methodId(d);
                    ModelDescriptor md = d.describe();
                    Provenance prov = new Provenance(md.method(), md.name(), md.version(), md.sha256(), st.steps(), st.samples(),
                            st.seed(), r.noiseSigma(), "DiffDenoise benchmark", Version.get());
                    SeriesWriteResult w = dicom.writeDerived(source, r.denoised(), prov, caseDir.resolve("derived-" + id), true);
                    List<FloatImage> back = FloatImage.fromStack(loadOnly(dicom, w.directory()).pixels());
                    addRow(ref, label, id, d.describe().version(), input, back, sec, panels);
                }
                if (ref.modality().equals("MR") && label.equals("Rician 5%") && report.cropsFigure == null) {
                    report.cropsFigure = "crops_" + ref.name() + ".png";
                    report.cropsCase = ref.name() + ", " + label;
                    writeCrops(panels, out.resolve(report.cropsFigure));
                }
                System.err.printf(Locale.ROOT, "[bench] %s %s done (%.0f s elapsed)%n", ref.name(), label, (System.nanoTime() - t0) / 1e9);
            }
        }
        if (!noReal) realSeries(protos, diffusion);
        if (!noSpeed) speed(protos, diffusion, quickRun);
        if (diffusion != null) stepsAndSamples(diffusion, refs);
        report.totalSeconds = (System.nanoTime() - t0) / 1e9;
        report.memory = BenchmarkReport.Memory.now(peakHeap);
        report.writeJson(json);
        report.writeMarkdown(out.resolve("benchmarks.md"), out);
        System.err.printf(Locale.ROOT, "[bench] wrote %s and %s in %.0f s%n", out.resolve("benchmarks.md"), json, report.totalSeconds);
        if (diffusion != null) diffusion.close();
        return 0;
    }

    /** Holder so the lambda-free code above reads simply. */

    private static String methodId(Denoiser d) {
        return d instanceof ClassicalDenoiser c ? c.id() : "diffusion";
    }

    private void addRow(BenchmarkData.Reference ref, String label, String method, String params, List<FloatImage> input,
                        List<FloatImage> result, double sec, Map<String, FloatImage> panels) {
        double psnr = 0, ssim = 0, res = 0, flat = 0, hf = 0, grad = 0;
        int n = ref.slices().size();
        for (int z = 0; z < n; z++) {
            FloatImage c = ref.slices().get(z), r = result.get(z);
            psnr += ImageMetrics.psnr(c, r) / n;
            ssim += ImageMetrics.ssim(c, r) / n;
            res += (method.equals("noisy") ? 0 : ImageMetrics.residualEdgeCorrelation(c, input.get(z), r)) / n;
            ResidualTexture.Measures m = ResidualTexture.measure(c, r);
            flat += m.flatness() / n; hf += m.highFrequencyFraction() / n; grad += m.gradientEnergyRatio() / n;
        }
        if (!method.equals("noisy")) panels.put(method, result.get(n / 2));
        report.rows.add(new BenchmarkReport.Row(ref.name(), ref.modality(), label, method, params, psnr, ssim, res, flat, hf, grad,
                sec / n, ref.slices().get(0).width() + "x" + ref.slices().get(0).height()));
    }

    private static void writeCrops(Map<String, FloatImage> panels, Path png) throws IOException {
        FloatImage clean = panels.get("clean");
        int size = Math.min(96, Math.min(clean.width(), clean.height()));
        int x0 = (clean.width() - size) / 2, y0 = (clean.height() - size) / 2;
        LinkedHashMap<String, FloatImage> crops = new LinkedHashMap<>();
        for (Map.Entry<String, FloatImage> e : panels.entrySet()) crops.put(e.getKey(), e.getValue().crop(x0, y0, size, size));
        Plots.montage(png, crops, clean.min(), clean.max(), 2);
    }

    private static void writeSeries(List<FloatImage> slices, String modality, Path dir, int number, String desc) throws IOException {
        List<float[]> data = new ArrayList<>();
        for (FloatImage s : slices) data.add(s.data());
        var spec = new SyntheticSeriesWriter.SeriesSpec(modality, "Bench^" + modality, "BENCH-" + modality, null,
                "DiffDenoise benchmark", desc, number, 1.0, 1.0);
        SyntheticSeriesWriter.write(data, slices.get(0).width(), slices.get(0).height(), spec, dir);
    }

    /** Scans a folder that must hold exactly one series and loads it through the DICOM layer. */
    private static DicomSeries loadOnly(DicomBackend dicom, Path dir) throws IOException, org.diffdenoise.dicom.DicomException {
        StudyScan scan = dicom.scan(dir);
        if (scan.series().size() != 1)
            throw new IOException(dir + ": expected one series, found " + scan.series().size() + " (skipped: " + scan.skipped() + ")");
        return dicom.load(scan.series().get(0));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private void realSeries(List<ClassicalDenoiser> protos, Denoiser diffusion) throws IOException {
        List<FloatImage> frames = BenchmarkData.realNoisyFrames(externalData, new int[] {10, 40, 70});
        List<Denoiser> ds = new ArrayList<>();
        for (ClassicalDenoiser p : protos) {
            // no oracle here: the strength tuned for low-dose X-ray, sigma estimated from each frame
            ClassicalDenoiser t = report.tuning.stream().filter(x -> x.method().equals(p.id()) && x.level().equals("PG low dose"))
                    .findFirst().map(x -> p.withStrength(x.strength())).orElse(p);
            ds.add(t);
        }
        if (diffusion != null) ds.add(diffusion);
        FloatImage f0 = frames.get(0);
        int[][] regions = RegionPicker.pick(f0, 32);
        report.realRegions = regions;
        addReal("noisy (input)", frames, frames, regions, 0);
        for (Denoiser d : ds) {
            long a = System.nanoTime();
            DenoiseResult r = d.denoise(FloatImage.toStack(frames), NoiseFamily.POISSON_GAUSSIAN_XRAY,
                    DenoiseSettings.defaults(), ProgressListener.NONE, CancelToken.none());
            double sec = (System.nanoTime() - a) / 1e9 / frames.size();
            addReal(methodId(d), frames, FloatImage.fromStack(r.denoised()), regions, sec);
        }
    }

    private void addReal(String method, List<FloatImage> in, List<FloatImage> outFrames, int[][] regions, double sec) {
        double sigma = 0, est = 0, snr = 0, cnr = 0;
        for (FloatImage f : outFrames) {
            sigma += NoiseStatistics.haarMadSigma(f) / outFrames.size();
            est += org.diffdenoise.noise.NoiseLevelEstimator.gaussian(f.data(), f.width(), f.height()).sigma() / outFrames.size();
            snr += NoiseStatistics.snr(f, regions[0]) / outFrames.size();
            cnr += NoiseStatistics.cnr(f, regions[0], regions[1]) / outFrames.size();
        }
        report.real.add(new BenchmarkReport.RealRow(method, sigma, est, snr, cnr, sec));
    }

    private void speed(List<ClassicalDenoiser> protos, Denoiser diffusion, boolean quickRun) {
        int[] sizes = quickRun ? new int[] {256, 512, 1024} : new int[] {256, 512, 1024, 2048, 4096};
        for (int size : sizes) {
            FloatImage im = BenchPhantom.generate(Math.min(size, 512), Math.min(size, 512), 5, 0.5);
            FloatImage big = tile(im, size);
            FloatImage noisy = new FloatImage(size, size, new RicianNoise(50).degrade(big.data(), new SplittableRandom(1)));
            var stack = FloatImage.toStack(List.of(noisy));
            for (ClassicalDenoiser p : protos) {
                if (size > 1024 && p.id().equals("nlm") && quickRun) continue;
                timeOne(p.id(), p, stack, size, 0, DenoiseSettings.defaults().withNoiseSigma(50));
            }
            if (diffusion != null) {
                int[] steps = quickRun && size >= 2048 ? new int[] {1} : new int[] {1, 2, 4, 8, 16};
                if (quickRun && size == 1024) steps = new int[] {1, 4};
                for (int s : steps) timeOne("diffusion", diffusion, stack, size, s, DenoiseSettings.defaults().withSteps(s).withNoiseSigma(50));
            }
        }
    }

    private void timeOne(String id, Denoiser d, net.imglib2.RandomAccessibleInterval<net.imglib2.type.numeric.real.FloatType> stack,
                         int size, int steps, DenoiseSettings st) {
        long a = System.nanoTime();
        d.denoise(stack, NoiseFamily.RICIAN_MR, st, ProgressListener.NONE, CancelToken.none());
        double sec = (System.nanoTime() - a) / 1e9;
        sampleMemory();
        // the tiles the denoiser really runs (sizeMultiple 8, as the shipped network needs)
        double evals = steps > 0 ? (double) steps * st.samples() * org.diffdenoise.diffusion.TileGrid.of(size, size, st.tileSize(), st.tileOverlap(), 8).size() : 0;
        report.speed.add(new BenchmarkReport.SpeedRow(id, size, steps, sec, steps > 0 ? evals / sec : 0,
                BenchmarkReport.Memory.now(peakHeap)));
        System.err.printf(Locale.ROOT, "[bench] speed %s %d^2 steps=%d: %.2f s%n", id, size, steps, sec);
    }

    private void stepsAndSamples(Denoiser diffusion, List<BenchmarkData.Reference> refs) {
        BenchmarkData.Reference ref = refs.stream().filter(r -> r.modality().equals("MR")).findFirst().orElse(refs.get(0));
        double range = range(ref.slices());
        // MR at 5 %; a run without MR references (--only) sweeps its first reference at that modality's strongest level
        List<double[]> levels = levels(ref.modality());
        double[] level = ref.modality().equals("MR") ? new double[] {0.05} : levels.get(levels.size() - 1);
        NoiseModel nm = noiseModel(ref.modality(), level, range);
        String label = ref.name() + " " + levelLabel(ref.modality(), level);
        SplittableRandom rng = new SplittableRandom(99);
        List<FloatImage> noisy = new ArrayList<>();
        for (FloatImage s : ref.slices()) noisy.add(new FloatImage(s.width(), s.height(), nm.degrade(s.data(), rng)));
        for (int samples : new int[] {1, 4}) {
            for (int steps : new int[] {1, 2, 4, 8, 16}) {
                if (samples == 4 && steps > 4) continue; // the default run keeps the sample sweep short
                if (samples > 1 && steps < 2) continue; // one step is deterministic: all samples would be equal
                DenoiseSettings st = DenoiseSettings.defaults().withSteps(steps).withSamples(samples).withNoiseSigma(oracleSigma(nm));
                long a = System.nanoTime();
                DenoiseResult r = diffusion.denoise(FloatImage.toStack(noisy), ref.family(), st, ProgressListener.NONE, CancelToken.none());
                double sec = (System.nanoTime() - a) / 1e9 / noisy.size();
                List<FloatImage> out = FloatImage.fromStack(r.denoised());
                double psnr = 0, ssim = 0, flat = 0, hf = 0, grad = 0;
                int n = out.size();
                for (int z = 0; z < n; z++) {
                    FloatImage c = ref.slices().get(z);
                    psnr += ImageMetrics.psnr(c, out.get(z)) / n;
                    ssim += ImageMetrics.ssim(c, out.get(z)) / n;
                    ResidualTexture.Measures m = ResidualTexture.measure(c, out.get(z));
                    flat += m.flatness() / n; hf += m.highFrequencyFraction() / n; grad += m.gradientEnergyRatio() / n;
                }
                report.steps.add(new BenchmarkReport.StepRow(label, steps, samples, psnr, ssim, flat, hf, grad, sec));
            }
        }
    }

    private void sampleMemory() {
        peakHeap = Math.max(peakHeap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    private static FloatImage tile(FloatImage im, int size) {
        float[] d = new float[size * size];
        for (int y = 0; y < size; y++) for (int x = 0; x < size; x++) d[y * size + x] = im.get(x % im.width(), y % im.height());
        return new FloatImage(size, size, d);
    }

    private static BenchmarkData.Reference cropped(BenchmarkData.Reference r, int n) {
        List<FloatImage> s = new ArrayList<>();
        for (FloatImage f : r.slices()) s.add(f.centerCrop(n, n));
        return new BenchmarkData.Reference(r.name(), r.modality(), r.source() + ", central " + n + "x" + n, s);
    }

    private static double range(List<FloatImage> slices) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (FloatImage s : slices) { lo = Math.min(lo, s.min()); hi = Math.max(hi, s.max()); }
        return hi - lo;
    }
}
