package org.diffdenoise.bench;

import org.diffdenoise.api.Denoiser;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.classical.ClassicalDenoiser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
    @Option(names = "--adapt", description = "run the diffusion model with per-series adaptation (denoise --adapt)")
    boolean adapt;
    @Option(names = "--diffusion-estimates-noise", description = "the diffusion model estimates its own noise level, as a "
            + "user's run without --sigma does (default: it gets the true sigma for MR and CT, like the baselines)")
    boolean diffusionEstimates;
    @Option(names = "--external-data", description = "folder with the fetched sample DICOM (default: external-data)")
    Path externalData = Path.of("external-data");
    @Option(names = "--work", description = "scratch folder for the DICOM series (default: target/bench-work)")
    Path work = Path.of("target", "bench-work");

    public static void main(String[] args) {
        int rc = new CommandLine(new BenchmarkCommand()).execute(args);
        System.exit(rc);
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        boolean quickRun = !full;
        Files.createDirectories(out);
        Path jsonFile = json != null ? json : out.resolve("benchmarks.json");
        Denoiser diffusion = BenchmarkPlan.diffusionDenoiser(denoiser).orElse(null);  // null: --denoiser none
        if (adapt && diffusion != null) diffusion = SettingsOverride.adapting(diffusion);
        if (diffusionEstimates && diffusion != null) diffusion = SettingsOverride.selfEstimating(diffusion);
        List<ClassicalDenoiser> baselines = BenchmarkPlan.baselines(methods);
        List<BenchmarkData.Reference> refs = BenchmarkData.references(externalData, quickRun, n -> only == null || only.contains(n));
        if (refs.isEmpty()) throw new IllegalArgumentException("no references selected by --only " + only);
        BenchmarkPlan plan = new BenchmarkPlan(refs, crop, baselines, diffusion, quickRun, !noReal, !noSpeed, externalData, work, out);

        BenchmarkReport report = new BenchmarkReport();
        report.machine = BenchmarkReport.Machine.detect();
        report.mode = quickRun ? "quick" : "full";
        report.diffusion = diffusion == null ? "not available in this build" : diffusion.describe().toString();
        HeapPeak heap = new HeapPeak();
        BaselineTuning tuning = new BaselineTuning(report);
        new BenchmarkRunner(plan, report, tuning, heap, t0).run();
        if (plan.realSeries()) new RealSeriesBenchmark(plan, report, tuning).run();
        if (plan.speed()) new SpeedBenchmark(plan, report, heap).run();
        if (diffusion != null) new StepsSweep(plan, report).run();
        report.totalSeconds = (System.nanoTime() - t0) / 1e9;
        report.memory = BenchmarkReport.Memory.now(heap.peak());
        report.writeJson(jsonFile);
        report.writeMarkdown(out.resolve("benchmarks.md"), out);
        System.err.printf(Locale.ROOT, "[bench] wrote %s and %s in %.0f s%n", out.resolve("benchmarks.md"), jsonFile, report.totalSeconds);
        if (diffusion != null) diffusion.close();
        return 0;
    }
}
