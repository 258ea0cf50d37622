package org.diffdenoise.noise;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prints the time each simulator takes on a 256x256 slice (best of 5). Run:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.diffdenoise.noise.NoiseSimulatorBenchmark}
 */
public final class NoiseSimulatorBenchmark {

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        float[] disk = NoiseSimulatorChecks.waterDisk(n);
        float[] mr = new float[n * n];
        for (int i = 0; i < mr.length; i++) mr[i] = disk[i] + 1000;
        NoiseSimulator[] sims = {
            CtProjectionNoise.hounsfield(FbpKernel.HANN, 0.1, 0.7),
            new MrKspaceNoise(20, 1, 1, 1),
            new MrKspaceNoise(20, 2, 1, 2),
            new MrKspaceNoise(20, 1.5, 8, 3),
            new MrKspaceNoise(20, 1, 32, 1),
            new XrayDetectorNoise(2, 3, 1.0),
        };
        for (NoiseSimulator s : sims) {
            float[] img = s instanceof CtProjectionNoise ? disk : mr;
            long best = Long.MAX_VALUE;
            double rms = 0;
            for (int r = 0; r < 5; r++) {
                long t0 = System.nanoTime();
                rms = s.simulate(img, n, n, new SplittableRandom(r)).rmsSigma();
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf(Locale.ROOT, "%-40s %4dx%d  %7.1f ms  (rms sigma %.3g)%n", s.describe(), n, n, best / 1e6, rms);
        }
    }
}
