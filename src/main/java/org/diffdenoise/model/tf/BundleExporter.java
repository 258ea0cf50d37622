package org.diffdenoise.model.tf;

import org.diffdenoise.model.BundleMetadata;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.ModelSignature;
import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.model.SavedModelHash;
import org.diffdenoise.model.UNetConfig;
import org.diffdenoise.model.UncertaintyCalibration;

import org.diffdenoise.api.FileTrees;

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
    public static final String FILE_LIST = ModelBundle.FILE_LIST;
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
                UNetGraph.Inputs in = net.inputs();
                Signature.Builder sb = Signature.builder().key(Signature.DEFAULT_KEY)
                        .input(UNetGraph.X_T, in.xt()).input(UNetGraph.COND, in.cond()).input(UNetGraph.T, in.t())
                        .input(UNetGraph.ALPHA_BAR, in.alphaBar()).input(UNetGraph.FAMILY, in.family());
                if (in.texture() != null) sb.input(UNetGraph.TEXTURE, in.texture());
                Signature sig = sb.output(UNetGraph.X0, net.x0()).build();
                SavedModelBundle.exporter(tmp.toString()).withTags(SavedModelBundle.DEFAULT_TAG).withSession(s)
                        .withSignature(sig).export();
            }
        }
        String sha = SavedModelHash.sha256(tmp);
        BundleMetadata meta = metadata(config, schedule, version, training, sha, SavedModelHash.fileHashes(tmp), params);
        Files.writeString(tmp.resolve(BundleMetadata.FILE_NAME), toJson(meta), StandardCharsets.UTF_8);
        List<String> files = new ArrayList<>(SavedModelHash.savedModelFiles(tmp));
        files.add(BundleMetadata.FILE_NAME);
        Files.writeString(tmp.resolve(FILE_LIST), String.join("\n", files) + "\n", StandardCharsets.UTF_8);
        FileTrees.replaceDirectory(tmp, target);  // readers never see a half-written bundle
        return meta;
    }

    /** The x0 prediction of this project's U-Net, as the metadata describes it. */
    static final String UNET_PREDICTION = "x0 via epsilon parameterization: x0 = (x_t - sqrt(1 - abar) * eps_theta) / sqrt(abar); the network head outputs sqrt(1 - abar) * eps_theta (noise in image units); x0 = x_t exactly when abar = 1";

    static BundleMetadata metadata(UNetConfig config, NoiseSchedule schedule, String version, Map<String, Object> training,
            String sha, Map<String, String> fileSha, long params) {
        return metadata(MODEL_NAME, version, List.of(SavedModelBundle.DEFAULT_TAG), Signature.DEFAULT_KEY, UNET_PREDICTION,
                schedule, 8, new BundleMetadata.Architecture("unet", Arrays.stream(config.channels()).boxed().toList(),
                        config.embeddingDim(), config.pixelUnshuffle(), config.decoderBlocks(), config.attention(), params),
                config.textureChannels(), training, sha, fileSha);
    }

    private static BundleMetadata metadata(String name, String version, List<String> tags, String signatureKey,
            String prediction, NoiseSchedule schedule, int sizeMultiple, BundleMetadata.Architecture architecture,
            int texture, Map<String, Object> training, String sha, Map<String, String> fileSha) {
        int c = ModelSignature.CONDITION_CHANNELS;
        List<BundleMetadata.TensorSpec> inputs = new ArrayList<>(List.of(
                new BundleMetadata.TensorSpec(UNetGraph.X_T, List.of(-1L, -1L, -1L, 1L), "float32",
                        "diffusion state x_t = sqrt(abar) x0 + sqrt(1 - abar) eps, in normalized units; H and W multiples of sizeMultiple"),
                new BundleMetadata.TensorSpec(UNetGraph.COND, List.of(-1L, -1L, -1L, (long) c), "float32",
                        "conditioning, channels: noisy slice y, previous slice, next slice (both = y for 2D images), "
                                + "noise standard deviation map (normalized units)"),
                new BundleMetadata.TensorSpec(UNetGraph.T, List.of(-1L), "float32", "timestep as step / timesteps, in [0, 1]"),
                new BundleMetadata.TensorSpec(UNetGraph.ALPHA_BAR, List.of(-1L), "float32", "abar at that step, from the schedule"),
                new BundleMetadata.TensorSpec(UNetGraph.FAMILY, List.of(-1L, (long) ModelSignature.FAMILY_CHANNELS), "float32",
                        "one-hot noise family in the order of noiseFamilies")));
        if (texture > 0)
            inputs.add(new BundleMetadata.TensorSpec(UNetGraph.TEXTURE, List.of(-1L, (long) texture),
                    "float32", "per-slice noise texture (NoiseTexture), its first " + texture + " of: ln of the scale-2/scale-1 "
                            + "Haar variance ratio, ln of the finest scale's share of the noise over 3/4, ln of the finest "
                            + "scale's axis-to-diagonal variance ratio in flat regions; all zero for white noise"));
        List<BundleMetadata.TensorSpec> outputs = List.of(new BundleMetadata.TensorSpec(UNetGraph.X0,
                List.of(-1L, -1L, -1L, 1L), "float32", "predicted clean image x0, normalized units"));
        return new BundleMetadata(name, version, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                "tensorflow-savedmodel", tags, signatureKey, inputs, outputs, prediction,
                new BundleMetadata.Schedule(schedule.type(), schedule.timesteps(), schedule.cosineS()),
                new BundleMetadata.Normalization("percentile", RobustNormalization.LOW_PERCENTILE, RobustNormalization.HIGH_PERCENTILE),
                c, sizeMultiple, ModelSignature.FAMILIES.stream().map(Enum::name).toList(), architecture,
                BundleMetadata.SIGMA_MAP_CONVENTION, BundleMetadata.START_STEP_CONVENTION,
                training, sha, BundleMetadata.SHA256_DEFINITION, fileSha, null);
    }

    /**
     * What {@link #seal} records about a SavedModel made elsewhere (Keras, PyTorch via ONNX-TF, ...).
     *
     * @param sizeMultiple H and W of every network call are multiples of this (2^levels of a U-Net, 1 for any size)
     * @param schedule     the forward-process schedule the model was trained with (cosine; x_t and alpha_bar follow it)
     * @param prediction   what the output x0 is and how the model computes it, in words
     * @param training     free-form record of how it was trained (data, steps, command...)
     */
    public record SealOptions(String name, String version, int sizeMultiple, NoiseSchedule schedule, List<String> tags,
            String signatureKey, String prediction, Map<String, Object> training) {
    }

    /**
     * Turns a SavedModel folder made elsewhere into a bundle this project loads: checks its signature against the
     * one the pipeline calls ({@link SavedModelSignature#EXPECTED}), then writes diffdenoise-model.json (with the
     * sha256 of the SavedModel files) and bundle-files.txt beside it. The SavedModel files themselves are not touched.
     * The model is also run once on a tiny input, so one TensorFlow cannot run fails here.
     * Nothing is written when a check fails.
     *
     * @param replace whether an existing diffdenoise-model.json may be replaced
     * @throws IOException naming the folder and the reason: no SavedModel, already a bundle, signature mismatch
     */
    public static BundleMetadata seal(Path dir, SealOptions o, boolean replace) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("not a folder: " + dir);
        if (!Files.isRegularFile(dir.resolve("saved_model.pb")))
            throw new IOException(dir + ": no saved_model.pb, so not a TensorFlow SavedModel folder");
        Path metaFile = dir.resolve(BundleMetadata.FILE_NAME);
        if (Files.exists(metaFile) && !replace)
            throw new IOException(dir + " is already a bundle (" + BundleMetadata.FILE_NAME + " exists); replace it explicitly to re-seal");
        if (o.sizeMultiple() < 1 || o.sizeMultiple() > 1024)
            throw new IllegalArgumentException("size multiple must be 1 to 1024, got " + o.sizeMultiple());
        BundleMetadata meta = metadata(o.name(), o.version(), o.tags(), o.signatureKey(), o.prediction(), o.schedule(),
                o.sizeMultiple(), null, SavedModelSignature.textureChannels(dir, o.tags(), o.signatureKey()), o.training(),
                SavedModelHash.sha256(dir), SavedModelHash.fileHashes(dir));
        ModelBundle.verify(dir, meta);
        SavedModelSignature.verify(dir, meta);
        try {
            TfNetworks.open(dir, meta, 1).close();
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(f -> !f.equals(BundleMetadata.FILE_NAME) && !f.equals(FILE_LIST)).sorted().forEach(files::add);
        }
        files.add(BundleMetadata.FILE_NAME);
        writeAtomically(metaFile, toJson(meta));
        writeAtomically(dir.resolve(FILE_LIST), String.join("\n", files) + "\n");
        return meta;
    }

    /**
     * Writes an uncertainty calibration into a bundle's diffdenoise-model.json (null removes it). The bundle is
     * verified first; the SavedModel files and their hashes are not touched.
     */
    public static BundleMetadata writeUncertainty(Path dir, UncertaintyCalibration u) throws IOException {
        BundleMetadata m = TfNetworks.load(dir).metadata().withUncertainty(u);
        Path file = dir.resolve(BundleMetadata.FILE_NAME);
        // edit the stored JSON rather than re-serializing the record, so every other field keeps its exact text
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        com.google.gson.Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        if (u == null) o.remove("uncertainty");
        else o.add("uncertainty", gson.toJsonTree(u));
        writeAtomically(file, gson.toJson(o) + "\n");
        return m;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Metadata as pretty-printed JSON. */
    public static String toJson(BundleMetadata meta) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(meta);
    }
}
