package org.diffdenoise.model.tf;

import org.diffdenoise.model.DenoisingNetwork;
import org.diffdenoise.model.ModelBundle;

import java.nio.file.Paths;
import java.util.Locale;
import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;

/**
 * Times one network evaluation (batch 1) at 256^2 and 512^2; not a unit test. Run with
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.diffdenoise.model.tf.ForwardBenchmark [bundle-dir]}
 * (without a folder it uses the bundle on the classpath).
 */
public final class ForwardBenchmark {

    public static void main(String[] args) throws Exception {
        ModelBundle bundle = args.length > 0 ? ModelBundle.load(Paths.get(args[0])) : ModelBundle.loadDefault();
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        try (DenoisingNetwork net = TfNetworks.open(bundle, threads)) {
            for (int size : new int[] {256, 512}) {
                SplittableRandom rng = new SplittableRandom(1);
                float[] xt = new float[size * size], cond = new float[size * size * 4];
                for (int i = 0; i < xt.length; i++) xt[i] = (float) rng.nextDouble();
                for (int i = 0; i < cond.length; i++) cond[i] = (float) rng.nextDouble();
                double best = Double.MAX_VALUE, sum = 0;
                int runs = 8;
                for (int r = 0; r <= runs; r++) {
                    long t0 = System.nanoTime();
                    net.predictX0(1, size, size, xt, cond, new float[] {0.03f}, NoiseFamily.RICIAN_MR);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (r == 0) continue; // warm-up
                    best = Math.min(best, ms);
                    sum += ms;
                }
                System.out.printf(Locale.ROOT, "%dx%d: best %.1f ms, mean %.1f ms over %d runs (%d intra-op threads, %s)%n",
                        size, size, best, sum / runs, runs, threads, net.device());
            }
        }
    }
}
