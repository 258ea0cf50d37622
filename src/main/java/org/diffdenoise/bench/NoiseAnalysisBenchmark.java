package org.diffdenoise.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.bench.data.BenchPhantom;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.noise.CtProjectionNoise;
import org.diffdenoise.noise.FbpKernel;
import org.diffdenoise.noise.GaussianNoise;
import org.diffdenoise.noise.MrKspaceNoise;
import org.diffdenoise.noise.NoiseField;
import org.diffdenoise.noise.NoiseFieldEstimator;
import org.diffdenoise.noise.RicianNoise;
import org.diffdenoise.noise.RobustNormalization;
import org.diffdenoise.noise.XrayDetectorNoise;
import org.diffdenoise.pipeline.DenoiserRegistry;

/**
 * What the default path's noise analysis costs per slice (what a run without {@code --sigma} adds: the noise field
 * and the conditioning map), for MR, CT and X-ray noise on a phantom at 256^2 and 512^2: the first call in the JVM
 * (code not yet compiled, as in a user's first slice) and the median of later calls, as CPU time (the calling thread
 * plus the common-pool workers it hands work to, so a loaded machine does not distort it) and wall time. Run:
 * {@code java -cp target/classes:$(cat cp.txt) org.diffdenoise.bench.NoiseAnalysisBenchmark [repeats]}; with
 * {@code --path [repeats]} it times the whole default path against the sigma-given one instead (the shipped model).
 */
public final class NoiseAnalysisBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private record Case(String name, NoiseFamily family, int size, float[] noisy) {
    }

    private NoiseAnalysisBenchmark() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--path")) {
            wholePath(args.length > 1 ? Integer.parseInt(args[1]) : 8);
            return;
        }
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        System.out.println("| noise | slice | first call CPU ms | first call wall ms | later calls CPU ms (median) | later calls wall ms (median) |");
        System.out.println("|---|---|---|---|---|---|");
        boolean first = true;
        for (int size : new int[] {256, 512})
            for (Case c : cases(size)) {
                double[] one = first ? time(c) : null; // only the very first call in the JVM is a cold one
                first = false;
                double[] cpu = new double[repeats], wall = new double[repeats];
                for (int i = 0; i < repeats; i++) {
                    double[] t = time(c);
                    cpu[i] = t[0];
                    wall[i] = t[1];
                }
                System.out.printf(Locale.ROOT, "| %s | %d^2 | %s | %s | %.1f | %.1f |%n", c.name(), size,
                        one == null ? "-" : String.format(Locale.ROOT, "%.1f", one[0]), one == null ? "-" : String.format(Locale.ROOT, "%.1f", one[1]),
                        median(cpu), median(wall));
            }
    }

    /**
     * The whole default path against the sigma-given one (2 steps, the shipped model, one 256^2 MR slice as
     * SpeedBenchmark's): after SpeedBenchmark's warm-up (1, 2, 4, 8, 16 steps with sigma given), the default path and
     * the sigma-given path in turn; per call wall seconds and CPU ms of this thread plus the pool workers (the
     * network's own threads are native and not in it), first default call and medians of the later ones.
     */
    private static void wholePath(int repeats) {
        try (Denoiser d = DenoiserRegistry.diffusion((java.nio.file.Path) null)) {
            FloatImage clean = BenchPhantom.generate(256, 256, 5, 0.5);
            var stack = FloatImage.toStack(List.of(new FloatImage(256, 256, new RicianNoise(50).degrade(clean.data(), new SplittableRandom(1)))));
            DenoiseSettings given = DenoiseSettings.defaults().withNoiseSigma(50), defaults = DenoiseSettings.defaults();
            for (int steps : new int[] {1, 2, 4, 8, 16}) run(d, stack, DenoiseSettings.defaults().withSteps(steps).withNoiseSigma(50));
            double[] first = run(d, stack, defaults);
            double[][] def = new double[2][repeats], giv = new double[2][repeats];
            for (int i = 0; i < repeats; i++) {
                double[] g = run(d, stack, given), e = run(d, stack, defaults);
                giv[0][i] = g[0];
                giv[1][i] = g[1];
                def[0][i] = e[0];
                def[1][i] = e[1];
            }
            System.out.println("| 256^2 MR, 2 steps | wall s | CPU ms (this thread + pool) |");
            System.out.println("|---|---|---|");
            System.out.printf(Locale.ROOT, "| defaults, first call | %.3f | %.1f |%n", first[0], first[1]);
            System.out.printf(Locale.ROOT, "| defaults, median of %d later | %.3f | %.1f |%n", repeats, median(def[0]), median(def[1]));
            System.out.printf(Locale.ROOT, "| sigma given, median of %d | %.3f | %.1f |%n", repeats, median(giv[0]), median(giv[1]));
        }
    }

    private static double[] run(Denoiser d, RandomAccessibleInterval<FloatType> stack, DenoiseSettings st) {
        long pool0 = poolCpuNanos(), cpu0 = THREADS.getCurrentThreadCpuTime(), wall0 = System.nanoTime();
        d.denoise(stack, NoiseFamily.RICIAN_MR, st, ProgressListener.NONE, CancelToken.none());
        long wall1 = System.nanoTime(), cpu1 = THREADS.getCurrentThreadCpuTime(), pool1 = poolCpuNanos();
        return new double[] {(wall1 - wall0) / 1e9, (cpu1 - cpu0 + pool1 - pool0) / 1e6};
    }

    private static Case[] cases(int size) {
        FloatImage clean = BenchPhantom.generate(size, size, 5, 0.5); // SpeedBenchmark's phantom, values 0..1000
        float[] px = clean.data();
        SplittableRandom r = new SplittableRandom(1);
        return new Case[] {
            new Case("MR Rician sigma 50 (SpeedBenchmark's)", NoiseFamily.RICIAN_MR, size, new RicianNoise(50).degrade(px, r.split())),
            new Case("MR g-factor R=2", NoiseFamily.RICIAN_MR, size, new MrKspaceNoise(30, 1, 1, 2).simulate(px, size, size, r.split()).noisy()),
            new Case("CT white sigma 20", NoiseFamily.GAUSSIAN_CT, size, new GaussianNoise(20).degrade(px, r.split())),
            new Case("CT Hann 25 % dose", NoiseFamily.GAUSSIAN_CT, size,
                    CtProjectionNoise.hounsfield(FbpKernel.HANN, 0.25, 0.7).simulate(px, size, size, r.split()).noisy()),
            new Case("X-ray, detector PSF 1 px", NoiseFamily.POISSON_GAUSSIAN_XRAY, size,
                    new XrayDetectorNoise(0.5, 5, 1).simulate(px, size, size, r.split()).noisy()),
        };
    }

    /**
     * CPU ms (this thread and the common-pool workers) and wall ms of one analysis as SliceNoiseAnalysis runs it: the
     * noise field, then (signal-dependent noise) the slice normalized in place, then the conditioning map. The
     * normalization fit is common to both paths (sigma given or not) and is left out.
     */
    private static double[] time(Case c) {
        float[] slice = c.noisy().clone();
        RobustNormalization norm = RobustNormalization.fit(c.noisy());
        long pool0 = poolCpuNanos(), cpu0 = THREADS.getCurrentThreadCpuTime(), wall0 = System.nanoTime();
        NoiseField field = NoiseFieldEstimator.estimate(slice, c.size(), c.size(), c.family());
        if (field.summary().normalized(norm).signalDependent())
            for (int i = 0; i < slice.length; i++) slice[i] = Float.isFinite(slice[i]) ? norm.apply(slice[i]) : 0f;
        float[] map = field.conditioningMap(slice, c.size(), c.size(), norm);
        long wall1 = System.nanoTime(), cpu1 = THREADS.getCurrentThreadCpuTime(), pool1 = poolCpuNanos();
        if (map.length != slice.length) throw new IllegalStateException("conditioning map has " + map.length + " values");
        return new double[] {(cpu1 - cpu0 + pool1 - pool0) / 1e6, (wall1 - wall0) / 1e6};
    }

    /** CPU time of the common-pool workers (the estimator hands them the independent half of a slice). */
    private static long poolCpuNanos() {
        long t = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds()))
            if (info != null && info.getThreadName().startsWith("ForkJoinPool.commonPool-worker")) {
                long w = THREADS.getThreadCpuTime(info.getThreadId());
                if (w > 0) t += w;
            }
        return t;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : 0.5 * (c[c.length / 2 - 1] + c[c.length / 2]);
    }
}
