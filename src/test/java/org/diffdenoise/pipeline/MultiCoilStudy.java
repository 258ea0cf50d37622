package org.diffdenoise.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.diffdenoise.bench.data.BenchPhantom;
import org.diffdenoise.dicom.SyntheticSeriesWriter;
import org.diffdenoise.noise.MrKspaceNoise;

/**
 * Test support: a study of magnitude MR series of one phantom, each with its own number of receive coils (root sum of
 * squares, per-coil noise sigma {@link #SIGMA}), written as DICOM; the series description is "N coils".
 */
public final class MultiCoilStudy {

    public static final int W = 192, H = 160, SLICES = 3;
    public static final double SIGMA = 25;

    private MultiCoilStudy() {
    }

    /** Writes one series per coil count under {@code study} (folders s16, s1 ...); returns the clean slices they share. */
    public static List<float[]> write(Path study, int... coilCounts) throws IOException {
        List<float[]> clean = new ArrayList<>();
        for (int z = 0; z < SLICES; z++) clean.add(BenchPhantom.generate(W, H, 43, z / (double) SLICES).data());
        for (int coils : coilCounts) {
            List<float[]> slices = new ArrayList<>();
            SplittableRandom rng = new SplittableRandom(coils);
            for (float[] c : clean) {
                float[] noisy = new MrKspaceNoise(SIGMA, 1, coils, 1).simulate(c, W, H, rng.split()).noisy();
                // stored from 0 as a scanner stores magnitude (the synthetic writer's intercept is the smallest value, and
                // the derived series keeps the source's encoding, so without a 0 it could not hold values below the floor)
                noisy[0] = 0;
                slices.add(noisy);
            }
            String name = coils + " coils";
            var spec = new SyntheticSeriesWriter.SeriesSpec("MR", "Phantom^Coils", "COILS-1", null, "coil floor", name, coils, 1.0, 3.0);
            SyntheticSeriesWriter.write(slices, W, H, spec, Files.createDirectories(study.resolve("s" + coils)));
        }
        return clean;
    }
}
