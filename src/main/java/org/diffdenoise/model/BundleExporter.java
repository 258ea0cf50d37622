package org.diffdenoise.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.google.gson.GsonBuilder;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.diffusion.NoiseSchedule;
import org.diffdenoise.noise.RobustNormalization;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes a model bundle: a SavedModel (tags "serve", signature "serving_default") of the U-Net with the given weights,
 * plus diffdenoise-model.json and bundle-files.txt (the file list, for loading from the classpath).
 */
public final class BundleExporter {

    /** Name of the file listing a bundle's files, one relative path a line. */
    public static final String FILE_LIST = "bundle-files.txt";
    public static final String MODEL_NAME = "diffdenoise-unet";

    private BundleExporter() {
    }

    /**
     * Exports into {@code target}, replacing what is there only once the new bundle is complete.
     *
     * @param weights  parameter name -> values, for every parameter of the U-Net
     * @param training free-form description of the training run (command, data, steps, loss...)
     */
    public static BundleMetadata export(Path target, UNetConfig config, NoiseSchedule schedule,
            Map<String, float[]> weights, String version, Map<String, Object> training) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, target.getFileName() + ".tmp");
        long params;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            UNetGraph net = new UNetGraph(tf, config, UNetGraph.zeros(), 0);
            params = net.parameterCount();
            for (String name : weights.keySet())
                if (!net.parametersByName().containsKey(name))
                    throw new IllegalArgumentException("weights for " + name + " are not a parameter of the U-Net " + config);
            List<Placeholder<TFloat32>> feeds = new ArrayList<>();
            List<Assign<TFloat32>> assigns = new ArrayList<>();
            for (UNetGraph.Parameter p : net.parameters()) {
                Placeholder<TFloat32> ph = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(p.shape())));
                feeds.add(ph);
                assigns.add(tf.assign(p.variable(), ph));
            }
            try (Session s = new Session(g)) {
                s.initialize();
                List<TFloat32> tensors = new ArrayList<>();
                try {
                    Session.Runner r = s.runner();
                    for (int i = 0; i < net.parameters().size(); i++) {
                        UNetGraph.Parameter p = net.parameters().get(i);
                        float[] v = weights.get(p.name());
                        if (v == null || v.length != p.size())
                            throw new IllegalArgumentException("weights for " + p.name() + " missing or of wrong size");
                        TFloat32 t = TFloat32.tensorOf(Shape.of(p.shape()), DataBuffers.of(v, true, false));
                        tensors.add(t);
                        r.feed(feeds.get(i), t).addTarget(assigns.get(i));
                    }
                    r.run().close();
                } finally {
                    tensors.forEach(TFloat32::close);
                }
                Signature sig = Signature.builder().key(Signature.DEFAULT_KEY)
                        .input(UNetGraph.X_T, net.xt).input(UNetGraph.COND, net.cond).input(UNetGraph.T, net.t)
                        .input(UNetGraph.ALPHA_BAR, net.alphaBar).input(UNetGraph.FAMILY, net.family)
                        .output(UNetGraph.X0, net.x0).build();
                SavedModelBundle.exporter(tmp.toString()).withTags(SavedModelBundle.DEFAULT_TAG).withSession(s)
                        .withSignature(sig).export();
            }
        }
        String sha = SavedModelHash.sha256(tmp);
        Map<String, String> fileSha = new java.util.TreeMap<>();
        for (String f : SavedModelHash.savedModelFiles(tmp)) fileSha.put(f, SavedModelHash.fileSha256(tmp.resolve(f)));
        BundleMetadata meta = metadata(config, schedule, version, training, sha, fileSha, params);
        Files.writeString(tmp.resolve(BundleMetadata.FILE_NAME), toJson(meta), StandardCharsets.UTF_8);
        List<String> files = new ArrayList<>(SavedModelHash.savedModelFiles(tmp));
        files.add(BundleMetadata.FILE_NAME);
        Files.writeString(tmp.resolve(FILE_LIST), String.join("\n", files) + "\n", StandardCharsets.UTF_8);
        replaceDirectory(tmp, target);
        return meta;
    }

    static BundleMetadata metadata(UNetConfig config, NoiseSchedule schedule, String version, Map<String, Object> training,
            String sha, Map<String, String> fileSha, long params) {
        int c = config.conditionChannels();
        List<BundleMetadata.TensorSpec> inputs = List.of(
                new BundleMetadata.TensorSpec(UNetGraph.X_T, List.of(-1L, -1L, -1L, 1L), "float32",
                        "diffusion state x_t = sqrt(abar) x0 + sqrt(1 - abar) eps, in normalized units; H and W multiples of sizeMultiple"),
                new BundleMetadata.TensorSpec(UNetGraph.COND, List.of(-1L, -1L, -1L, (long) c), "float32",
                        "conditioning, channels: noisy slice y, previous slice, next slice (both = y for 2D images), "
                                + "noise standard deviation map (normalized units)"),
                new BundleMetadata.TensorSpec(UNetGraph.T, List.of(-1L), "float32", "timestep as step / timesteps, in [0, 1]"),
                new BundleMetadata.TensorSpec(UNetGraph.ALPHA_BAR, List.of(-1L), "float32", "abar at that step, from the schedule"),
                new BundleMetadata.TensorSpec(UNetGraph.FAMILY, List.of(-1L, (long) NoiseFamily.values().length), "float32",
                        "one-hot noise family in the order of noiseFamilies"));
        List<BundleMetadata.TensorSpec> outputs = List.of(new BundleMetadata.TensorSpec(UNetGraph.X0,
                List.of(-1L, -1L, -1L, 1L), "float32", "predicted clean image x0, normalized units"));
        return new BundleMetadata(MODEL_NAME, version, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                "tensorflow-savedmodel", List.of(SavedModelBundle.DEFAULT_TAG), Signature.DEFAULT_KEY, inputs, outputs,
                "x0 via epsilon parameterization: x0 = (x_t - sqrt(1 - abar) * eps_theta) / sqrt(abar); the network head outputs sqrt(1 - abar) * eps_theta (noise in image units); x0 = x_t exactly when abar = 1",
                new BundleMetadata.Schedule(schedule.type(), schedule.timesteps(), schedule.cosineS()),
                new BundleMetadata.Normalization("percentile", RobustNormalization.LOW_PERCENTILE, RobustNormalization.HIGH_PERCENTILE),
                c, 8, Arrays.stream(NoiseFamily.values()).map(Enum::name).toList(),
                new BundleMetadata.Architecture("unet", Arrays.stream(config.channels()).boxed().toList(),
                        config.embeddingDim(), config.pixelUnshuffle(), config.decoderBlocks(), config.attention(), params),
                BundleMetadata.SIGMA_MAP_CONVENTION, BundleMetadata.START_STEP_CONVENTION,
                training, sha, BundleMetadata.SHA256_DEFINITION, fileSha);
    }

    /** Metadata as pretty-printed JSON. */
    public static String toJson(BundleMetadata meta) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(meta);
    }

    // swaps a finished directory into place so readers never see a half-written bundle
    private static void replaceDirectory(Path fresh, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling(target.getFileName() + ".old-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) deleteRecursively(old);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }
}
