package org.diffdenoise.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.diffdenoise.diffusion.DiffusionDenoiser;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.UncertaintyCalibration;
import org.diffdenoise.model.tf.TfNetworks;
import org.diffdenoise.noise.RobustNormalization;

/**
 * Measurement data for experiments/uncertainty-learned (not a test): the per-pixel data of {@code model calibrate}'s
 * fitting cases (reference, noisy, mean of 4 samples at eta 0.3, their raw spread, the noise field's sigma map) as
 * little-endian float32 files, one line per case in index.tsv. Run:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.diffdenoise.train.CalibrationDataDump DIR}
 */
public final class CalibrationDataDump {

    private CalibrationDataDump() {
    }

    /** Writes {@code arrays} one after the other as {@code dir/id.f32}. */
    public static void write(Path dir, String id, float[]... arrays) throws IOException {
        int n = 0;
        for (float[] a : arrays) n += a.length;
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] a : arrays) for (float v : a) b.putFloat(v);
        Files.write(dir.resolve(id + ".f32"), b.array());
    }

    /** Appends one tab-separated line to {@code dir/index.tsv}. */
    public static void index(Path dir, String... fields) throws IOException {
        Files.writeString(dir.resolve("index.tsv"), String.join("\t", fields) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        ModelBundle bundle = TfNetworks.loadOrDefault(null);
        UncertaintyCalibration raw = new UncertaintyCalibration(UncertaintyCalibration.QUANTITY, UncertaintyCalibration.FORMULA,
                UncertaintyCalibrator.DEFAULT_ETA, 2, UncertaintyCalibrator.DEFAULT_SAMPLES, List.of(), "", "", "dump");
        try (DiffusionDenoiser d = new DiffusionDenoiser(TfNetworks.open(bundle), bundle.schedule(), bundle.descriptor(), raw)) {
            List<UncertaintyCalibrator.Case> cases = CalibrationCases.cases(Path.of("external-data"),
                    (s, f) -> UncertaintyCalibrator.cleaned(d, s, f, CalibrationCases.PHANTOM_SIZE, 2));
            int k = 0;
            for (UncertaintyCalibrator.Case c : cases) {
                UncertaintyCalibrator.Measured m = UncertaintyCalibrator.measure(d, c, 2, UncertaintyCalibrator.DEFAULT_SAMPLES);
                String id = String.format("cal%03d", k++);
                write(out, id, c.reference(), c.noisy(), m.mean(), m.spread(), m.sigma());
                index(out, id, "cal", c.family().name(), Boolean.toString(c.realistic()), c.name(), "" + c.width(), "" + c.height(), "1",
                        "" + m.level(), "" + m.correlation(), "" + RobustNormalization.fit(c.noisy()).scale());
            }
        }
    }
}
