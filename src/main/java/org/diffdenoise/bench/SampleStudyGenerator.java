package org.diffdenoise.bench;

import org.diffdenoise.image.FloatImage;

import org.diffdenoise.bench.data.BenchPhantom;
import org.diffdenoise.dicom.SyntheticSeriesWriter;
import org.diffdenoise.noise.RicianNoise;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Regenerates the bundled demo study test-data/phantom-mr/: 8 slices 128x128 of a test-seed phantom with Rician noise
 * of 5% of the range, as an MR series. Usage: {@code SampleStudyGenerator [outputDir]}.
 */
public final class SampleStudyGenerator {
    public static final int SLICES = 8, SIZE = 128;
    public static final double RICIAN_FRACTION = 0.05;
    public static final long NOISE_SEED = 20240601L;

    private SampleStudyGenerator() {
    }

    public static List<Path> generate(Path dir) throws IOException {
        SplittableRandom rng = new SplittableRandom(NOISE_SEED);
        List<float[]> slices = new ArrayList<>();
        for (int z = 0; z < SLICES; z++) {
            FloatImage clean = BenchPhantom.generate(SIZE, SIZE, BenchPhantom.TEST_SEED + 100, 0.3 + 0.4 * z / (SLICES - 1.0));
            slices.add(new RicianNoise(RICIAN_FRACTION * 1000).degrade(clean.data(), rng));
        }
        var spec = new SyntheticSeriesWriter.SeriesSpec("MR", "Phantom^Demo", "DEMO-0001", null, "DiffDenoise demo phantom",
                "noisy phantom (Rician 5%)", 1, 1.5, 3.0);
        return SyntheticSeriesWriter.write(slices, SIZE, SIZE, spec, dir);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "test-data/phantom-mr");
        System.out.println("wrote " + generate(dir).size() + " files to " + dir);
    }
}
