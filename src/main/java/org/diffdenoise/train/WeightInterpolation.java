package org.diffdenoise.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.diffdenoise.model.BundleMetadata;
import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.model.UNetConfig;
import org.diffdenoise.model.tf.BundleExporter;
import org.diffdenoise.model.tf.TfNetworks;

/**
 * A bundle whose weights lie between two of the same network, (1 - alpha) * base + alpha * tuned (weight-space
 * ensembling of a fine-tuned model with the one it started from, as in WiSE-FT): a way to keep most of what a
 * fine-tuning run gained on new noise while giving back less on the old. Parameters the base lacks (the texture input
 * of a network grown from one without it) count as zero there, which is what the grown network started from.
 *
 * <p>Usage: {@code WeightInterpolation BASE_BUNDLE TUNED_BUNDLE ALPHA OUT_DIR VERSION}
 */
public final class WeightInterpolation {

    private WeightInterpolation() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: WeightInterpolation BASE_BUNDLE TUNED_BUNDLE ALPHA OUT_DIR VERSION");
            System.exit(2);
        }
        Path base = Path.of(args[0]), tuned = Path.of(args[1]), out = Path.of(args[3]);
        double alpha = Double.parseDouble(args[2]);
        BundleMetadata t = TfNetworks.load(tuned).metadata();
        UNetConfig config = UNetConfig.standard().withDecoderBlocks(t.architecture().decoderBlocks())
                .withAttention(t.architecture().attention()).withTextureChannels(t.textureChannels());
        Map<String, float[]> a = WeightsFile.fromBundle(base, config), b = WeightsFile.fromBundle(tuned, config);
        BundleMetadata m = BundleExporter.export(out, config, NoiseSchedule.cosine(t.schedule().timesteps()),
                interpolate(a, b, alpha), args[4], training(base, tuned, alpha, t));
        System.out.printf(Locale.ROOT, "exported %s %s to %s (sha256 %s)%n", m.name(), m.version(), out, m.sha256());
    }

    /** (1 - alpha) a + alpha b for every parameter of b; a parameter missing in a counts as zero. */
    static Map<String, float[]> interpolate(Map<String, float[]> a, Map<String, float[]> b, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("alpha must be in [0, 1]: " + alpha);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : b.entrySet()) {
            float[] y = e.getValue(), x = a.get(e.getKey()), v = new float[y.length];
            if (x != null && x.length != y.length)
                throw new IllegalArgumentException(e.getKey() + ": " + x.length + " values in the base, " + y.length + " in the tuned");
            for (int i = 0; i < v.length; i++) v[i] = (float) ((1 - alpha) * (x == null ? 0 : x[i]) + alpha * y[i]);
            out.put(e.getKey(), v);
        }
        return out;
    }

    private static Map<String, Object> training(Path base, Path tuned, double alpha, BundleMetadata t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("interpolation", String.format(Locale.ROOT, "weights (1 - %.2f) * %s + %.2f * %s (%s %s)", alpha,
                base.getFileName(), alpha, tuned.getFileName(), t.name(), t.version()));
        m.put("command", "java -cp target/classes:$(cat cp.txt) org.diffdenoise.train.WeightInterpolation " + base + " "
                + tuned + " " + alpha + " OUT VERSION");
        if (t.training() != null) m.put("tuned", t.training());
        return m;
    }
}
