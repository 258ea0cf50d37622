package org.diffdenoise.train;

import org.diffdenoise.image.Phantoms;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.model.tf.BundleExporter;
import org.diffdenoise.model.UNetConfig;
import org.diffdenoise.noise.RobustNormalization;

/**
 * Files for the accelerator experiment in {@code experiments/gpu/} (a PyTorch replica of the U-Net and of
 * {@link PatchSampler}, used to measure what more training compute and a wider network would buy; the shipped
 * weights stay the ones {@code train} makes in Java). Not part of the product and not a test.
 *
 * <pre>
 * ExperimentIO data EXTERNAL_DATA OUT.bin PHANTOMS SEED   the clean training images, float16, little-endian
 * ExperimentIO weights BUNDLE OUT.ddw                       a bundle's U-Net weights as a WeightsFile
 * ExperimentIO reference WEIGHTS EXTERNAL_DATA OUT.bin [C0,C1,C2 BLOCKS ATTENTION]
 *                                                           a training batch and the network's x0 for it (port check)
 * ExperimentIO bundle WEIGHTS.ddw C0,C1,C2 BLOCKS ATTENTION OUT_DIR NOTE   a bundle from replica-trained weights
 * </pre>
 */
public final class ExperimentIO {

    private ExperimentIO() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "data" -> data(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]));
            case "weights" -> WeightsFile.write(Path.of(args[2]), WeightsFile.load(Path.of(args[1]), UNetConfig.standard()));
            case "reference" -> reference(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]),
                    args.length > 4 ? config(args[4], Integer.parseInt(args[5]), Boolean.parseBoolean(args[6])) : UNetConfig.standard());
            case "bundle" -> bundle(Path.of(args[1]), args[2], Integer.parseInt(args[3]), Boolean.parseBoolean(args[4]),
                    Path.of(args[5]), args[6]);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    // Layout: "DDX1", source count; per source: name, kind (0 natural, 1 single DICOM slice, 2 volume, 3 phantom pool),
    // width, height, slice count, per slice (low, scale) of its own robust normalization, then the slices normalized
    // with their own normalization as float16 (a volume's neighbours are renormalized with the centre's by the reader).
    private static void data(Path external, Path out, int phantoms, long seed) throws IOException {
        TrainingSources sources = TrainingSources.load(external);
        try (DataOutputStream o = le(out)) {
            writeInt(o, 0x31584444);
            writeInt(o, sources.natural().size() + sources.dicom().size() + 1);
            for (TrainingSources.Source s : sources.natural()) source(o, s, 0);
            for (TrainingSources.Source s : sources.dicom()) source(o, s, s.isVolume() ? 2 : 1);
            // the phantom pool: 128^2 like the training patches, half MR-like and half X-ray-like, each normalized
            int size = 128;
            SplittableRandom rng = new SplittableRandom(seed);
            byte[] name = "phantoms".getBytes(StandardCharsets.UTF_8);
            writeInt(o, name.length);
            o.write(name);
            writeInt(o, 3);
            writeInt(o, size);
            writeInt(o, size);
            writeInt(o, phantoms);
            for (int i = 0; i < phantoms; i++) {
                writeFloat(o, 0);
                writeFloat(o, 1);
            }
            for (int i = 0; i < phantoms; i++) {
                float[] img = i % 2 == 0 ? Phantoms.mrLike(size, rng.nextLong()) : Phantoms.xrayLike(size, rng.nextLong());
                RobustNormalization.fit(img).applyInPlace(img);
                halves(o, img);
            }
        }
    }

    private static void source(DataOutputStream o, TrainingSources.Source s, int kind) throws IOException {
        byte[] name = s.name().getBytes(StandardCharsets.UTF_8);
        writeInt(o, name.length);
        o.write(name);
        writeInt(o, kind);
        writeInt(o, s.width());
        writeInt(o, s.height());
        writeInt(o, s.slices().size());
        for (RobustNormalization n : s.norms()) {
            writeFloat(o, (float) n.low());
            writeFloat(o, (float) n.scale());
        }
        for (int k = 0; k < s.slices().size(); k++) {
            float[] v = s.slices().get(k).clone();
            s.norms().get(k).applyInPlace(v);
            halves(o, v);
        }
    }

    // a training batch from PatchSampler and the bundle's prediction for it, float32 little-endian:
    // n, size, xt[n*s*s], cond[n*s*s*4], t[n], abar[n], family[n*3], clean[n*s*s], x0[n*s*s]
    private static void reference(Path weights, Path external, Path out, UNetConfig config) throws IOException {
        TrainingBatch b = new PatchSampler(TrainingSources.load(external), NoiseSchedule.cosine(1000), 5).batch(3, 6, 64);
        float[] x0;
        try (Trainer t = new Trainer(config, 1)) {
            t.initialize();
            t.loadWeights(WeightsFile.load(weights, config));
            x0 = t.predict(b);
        }
        try (DataOutputStream o = le(out)) {
            writeInt(o, b.n());
            writeInt(o, b.size());
            for (float[] a : List.of(b.xt(), b.cond(), b.t(), b.alphaBar(), b.family(), b.clean(), x0))
                for (float v : a) writeFloat(o, v);
        }
        System.out.println("reference batch of " + b.n() + " x " + b.size() + "^2 -> " + out);
    }

    private static void bundle(Path weights, String channels, int blocks, boolean attention, Path outDir, String note)
            throws IOException {
        UNetConfig config = config(channels, blocks, attention);
        Map<String, float[]> w = WeightsFile.read(weights);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("command", note);
        training.put("weights", "trained by the PyTorch replica in experiments/gpu (not the shipped model)");
        BundleExporter.export(outDir, config, NoiseSchedule.cosine(1000), w, "0.0.experiment", training);
        System.out.println("bundle " + config + " -> " + outDir);
    }

    private static UNetConfig config(String channels, int blocks, boolean attention) {
        String[] c = channels.split(",");
        return new UNetConfig(new int[] {Integer.parseInt(c[0]), Integer.parseInt(c[1]), Integer.parseInt(c[2])}, 64, 4, true,
                blocks, attention);
    }

    private static DataOutputStream le(Path out) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        OutputStream os = Files.newOutputStream(out);
        return new DataOutputStream(new BufferedOutputStream(os, 1 << 20));
    }

    private static void writeInt(DataOutputStream o, int v) throws IOException {
        o.writeInt(Integer.reverseBytes(v));
    }

    private static void writeFloat(DataOutputStream o, float v) throws IOException {
        o.writeInt(Integer.reverseBytes(Float.floatToIntBits(v)));
    }

    private static void halves(DataOutputStream o, float[] v) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) bb.putShort(toHalf(f));
        o.write(bb.array());
    }

    /** IEEE 754 binary16 of a float, rounded to nearest; values below the smallest normal half flush to zero. */
    static short toHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x477ff000) return (short) (sign | 0x7c00); // overflow (and inf/NaN, unused here) -> inf
        if (abs < 0x38800000) return (short) sign;             // below 2^-14
        int rounded = abs + 0x00001000;                         // round half up at bit 13
        return (short) (sign | ((rounded - 0x38000000) >>> 13));
    }
}
