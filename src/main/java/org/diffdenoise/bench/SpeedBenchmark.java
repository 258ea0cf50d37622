package org.diffdenoise.bench;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.bench.data.BenchPhantom;
import org.diffdenoise.classical.ClassicalDenoiser;
import org.diffdenoise.diffusion.TileGrid;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.noise.RicianNoise;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times every method on one noisy phantom slice per image size (and the diffusion denoiser per step count, with the
 * noise level given, and once with its defaults, the noise field estimated as a user's run does).
 */
final class SpeedBenchmark {
    private final BenchmarkPlan plan;
    private final BenchmarkReport report;
    private final HeapPeak heap;

    SpeedBenchmark(BenchmarkPlan plan, BenchmarkReport report, HeapPeak heap) {
        this.plan = plan;
        this.report = report;
        this.heap = heap;
    }

    void run() {
        boolean quickRun = plan.quick();
        int[] sizes = quickRun ? new int[] {256, 512, 1024} : new int[] {256, 512, 1024, 2048, 4096};
        for (int size : sizes) {
            FloatImage im = BenchPhantom.generate(Math.min(size, 512), Math.min(size, 512), 5, 0.5);
            FloatImage big = tile(im, size);
            FloatImage noisy = new FloatImage(size, size, new RicianNoise(50).degrade(big.data(), new SplittableRandom(1)));
            var stack = FloatImage.toStack(List.of(noisy));
            for (ClassicalDenoiser p : plan.baselines()) {
                if (size > 1024 && p.id().equals("nlm") && quickRun) continue;
                timeOne(p.id(), p, stack, size, 0, DenoiseSettings.defaults().withNoiseSigma(50));
            }
            if (plan.diffusion() != null) {
                int[] steps = quickRun && size >= 2048 ? new int[] {1} : new int[] {1, 2, 4, 8, 16};
                if (quickRun && size == 1024) steps = new int[] {1, 4};
                for (int s : steps)
                    timeOne("diffusion", plan.diffusion(), stack, size, s, DenoiseSettings.defaults().withSteps(s).withNoiseSigma(50));
                // the default path as a user runs it: the noise field estimated per slice (issue 14's speed bar); the
                // first call at 256^2 also runs the estimator's code before it is compiled, as a user's first slice
                // does, so a second call shows what every further slice costs (the sigma-given rows above come after
                // the 1-step row has warmed up their code)
                if (size <= 1024) {
                    timeOne("diffusion, defaults (noise estimated)", plan.diffusion(), stack, size, DenoiseSettings.DEFAULT_STEPS,
                            DenoiseSettings.defaults());
                    timeOne("diffusion, defaults (noise estimated), again", plan.diffusion(), stack, size, DenoiseSettings.DEFAULT_STEPS,
                            DenoiseSettings.defaults());
                }
            }
        }
    }

    private void timeOne(String id, Denoiser d, RandomAccessibleInterval<FloatType> stack, int size, int steps, DenoiseSettings st) {
        long a = System.nanoTime();
        d.denoise(stack, NoiseFamily.RICIAN_MR, st, ProgressListener.NONE, CancelToken.none());
        double sec = (System.nanoTime() - a) / 1e9;
        heap.sample();
        // the tiles the denoiser really runs (sizeMultiple 8, as the shipped network needs)
        double evals = steps > 0 ? (double) steps * st.samples() * TileGrid.of(size, size, st.tileSize(), st.tileOverlap(), 8).size() : 0;
        report.speed.add(new BenchmarkReport.SpeedRow(id, size, steps, sec, steps > 0 ? evals / sec : 0,
                BenchmarkReport.Memory.now(heap.peak())));
        System.err.printf(Locale.ROOT, "[bench] speed %s %d^2 steps=%d: %.2f s%n", id, size, steps, sec);
    }

    /** The image repeated to fill size x size. */
    private static FloatImage tile(FloatImage im, int size) {
        float[] d = new float[size * size];
        for (int y = 0; y < size; y++) for (int x = 0; x < size; x++) d[y * size + x] = im.get(x % im.width(), y % im.height());
        return new FloatImage(size, size, d);
    }
}
