package org.diffdenoise.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.diffusion.DiffusionDenoiser;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.UncertaintyCalibration;
import org.diffdenoise.model.tf.TfNetworks;
import org.diffdenoise.noise.NoiseField;
import org.diffdenoise.noise.NoiseFieldEstimator;
import org.diffdenoise.noise.RobustNormalization;
import org.diffdenoise.train.CalibrationDataDump;

/**
 * Measurement data for experiments/uncertainty-learned (not a test): {@link UncertaintyBenchmark}'s 25 cases per
 * slice, as {@link CalibrationDataDump} writes the fitting cases, plus the shipped map and the shipped run's mean. Run:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.diffdenoise.bench.UncertaintyBenchmarkDump DIR}
 */
public final class UncertaintyBenchmarkDump {

    private UncertaintyBenchmarkDump() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        ModelBundle bundle = TfNetworks.loadOrDefault(null);
        UncertaintyCalibration cal = bundle.metadata().uncertainty();
        UncertaintyCalibration raw = new UncertaintyCalibration(UncertaintyCalibration.QUANTITY, UncertaintyCalibration.FORMULA,
                cal.eta(), cal.steps(), cal.samples(), List.of(), "", "", "dump");
        DenoiseSettings four = DenoiseSettings.defaults().withSteps(cal.steps()).withSamples(cal.samples());
        int k = 0;
        try (DiffusionDenoiser spread = new DiffusionDenoiser(TfNetworks.open(bundle), bundle.schedule(), bundle.descriptor(), raw);
             DiffusionDenoiser shipped = DiffusionDenoiser.of(bundle, TfNetworks.open(bundle))) {
            for (UncertaintyBenchmark.TestCase c : new UncertaintyBenchmark().cases()) {
                DenoiseResult r = spread.denoise(FloatImage.toStack(c.noisy()), c.family(), four, null, null);
                DenoiseResult s = shipped.denoise(FloatImage.toStack(c.noisy()), c.family(), four, null, null);
                List<FloatImage> mean = FloatImage.fromStack(r.denoised()), sd = FloatImage.fromStack(r.uncertainty()),
                        map = FloatImage.fromStack(s.uncertainty()), shippedMean = FloatImage.fromStack(s.denoised());
                for (int z = 0; z < c.reference().size(); z++) {
                    FloatImage ref = c.reference().get(z), noisy = c.noisy().get(z);
                    NoiseField f = NoiseFieldEstimator.estimate(noisy.data(), noisy.width(), noisy.height(), c.family());
                    double scale = RobustNormalization.fit(noisy.data()).scale();
                    String id = String.format("bench%03d", k++);
                    CalibrationDataDump.write(out, id, ref.data(), noisy.data(), mean.get(z).data(), sd.get(z).data(), f.sigmaMap(),
                            map.get(z).data(), shippedMean.get(z).data());
                    CalibrationDataDump.index(out, id, "bench", c.family().name(), c.id(), c.id() + " z" + z, "" + ref.width(), "" + ref.height(),
                            "" + c.reference().size(), "" + UncertaintyCalibration.noiseLevel(f.sigmaMap(), scale), "" + f.correlation(), "" + scale);
                }
            }
        }
    }
}
