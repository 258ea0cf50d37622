package org.diffdenoise.pipeline;

import org.diffdenoise.api.FileTrees;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.bench.data.BenchPhantom;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.SyntheticSeriesWriter;
import org.diffdenoise.noise.RicianNoise;

/**
 * Benchmark, not a test: does memory (Java heap and the process's native memory, TensorFlow's included) stay flat
 * over a batch of many series? Writes N noisy phantom MR series (8 x 128^2 each), runs the real pipeline with the
 * shipped diffusion model over them, and prints VmRSS and heap after every series.
 * <p>
 * Run: {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.diffdenoise.pipeline.BatchMemoryBenchmark -Dexec.args="40 target/batch-memory"}
 */
public final class BatchMemoryBenchmark {

    private BatchMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        Path work = Path.of(args.length > 1 ? args[1] : "target/batch-memory");
        Path study = work.resolve("study"), out = work.resolve("out");
        FileTrees.delete(work);
        SplittableRandom rng = new SplittableRandom(7);
        String studyUid = null;
        for (int s = 0; s < n; s++) {
            List<float[]> slices = new ArrayList<>();
            for (int z = 0; z < 8; z++)
                slices.add(new RicianNoise(50).degrade(BenchPhantom.generate(128, 128, BenchPhantom.TEST_SEED + 200 + s, z / 8.0).data(), rng));
            var spec = new SyntheticSeriesWriter.SeriesSpec("MR", "Phantom^Batch", "BATCH-0001", studyUid, "batch memory",
                    "phantom " + (s + 1), s + 1, 1.5, 3.0);
            Path dir = study.resolve(String.format(Locale.ROOT, "s%03d", s));
            SyntheticSeriesWriter.write(slices, 128, 128, spec, dir);
            if (studyUid == null) studyUid = SyntheticSeriesWriter.read(dir).studyInstanceUid();
        }
        StudyDenoiser pipeline = new StudyDenoiser(Dicom.backend(), () -> DenoiserRegistry.create(DenoiserRegistry.Method.diffusion, null));
        System.out.println("series\tseconds\tVmRSS_MiB\theap_used_MiB");
        long t0 = System.nanoTime();
        BatchReport r = pipeline.denoiseStudy(study, out, BatchOptions.defaults(), new BatchListener() {
            @Override
            public void seriesFinished(int index, int count, SeriesResult result) {
                System.gc();
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                System.out.printf(Locale.ROOT, "%d\t%.1f\t%.0f\t%.0f%n", index + 1, (System.nanoTime() - t0) / 1e9,
                        vmRssKb() / 1024.0, heap / 1048576.0);
            }
        }, CancelToken.none());
        pipeline.close();
        System.out.printf(Locale.ROOT, "written %d of %d series; peak VmHWM %.0f MiB%n", r.written(), r.results().size(), vmHwmKb() / 1024.0);
    }

    static long vmRssKb() {
        return status("VmRSS:");
    }

    static long vmHwmKb() {
        return status("VmHWM:");
    }

    /** A line of /proc/self/status in kB, or -1 where there is none (not Linux). */
    private static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith(key)) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
