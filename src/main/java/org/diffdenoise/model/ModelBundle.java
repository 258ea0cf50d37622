package org.diffdenoise.model;

import org.diffdenoise.api.FileTrees;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.api.OwnedTempFolder;
import org.diffdenoise.api.NoiseFamily;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A verified model bundle on disk: a TensorFlow SavedModel plus diffdenoise-model.json. Loading checks the metadata,
 * the sha256 of every SavedModel file and the serving signature, so a corrupt or incompatible bundle fails here with
 * a message saying what was expected and what was found, before any TensorFlow session exists.
 */
public final class ModelBundle {

    /** Classpath folder of the bundle shipped in the jar. */
    public static final String DEFAULT_RESOURCE = "/org/diffdenoise/model/default/";
    /** Conditioning channels the pipeline supplies (noisy slice, previous, next, sigma map). */
    public static final int CONDITION_CHANNELS = ModelSignature.CONDITION_CHANNELS;
    /** Method name recorded in provenance. */
    public static final String METHOD = "conditioned reverse diffusion (DDIM)";

    private final Path dir;
    private final BundleMetadata metadata;

    private ModelBundle(Path dir, BundleMetadata metadata) {
        this.dir = dir;
        this.metadata = metadata;
    }

    /** Loads and verifies the bundle in {@code dir}. */
    public static ModelBundle load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("model bundle not found: " + dir + " is not a directory");
        Path metaFile = dir.resolve(BundleMetadata.FILE_NAME);
        if (!Files.isRegularFile(metaFile))
            throw new IOException("model bundle " + dir + ": missing " + BundleMetadata.FILE_NAME
                    + " (a bundle is a SavedModel directory plus this metadata file)");
        BundleMetadata meta;
        try {
            meta = new Gson().fromJson(Files.readString(metaFile, StandardCharsets.UTF_8), BundleMetadata.class);
        } catch (JsonParseException e) {
            throw new IOException(metaFile + ": not valid model metadata JSON: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // a record's own check (e.g. an uncertainty table of the wrong size) failed while Gson built it
            Throwable bad = e instanceof IllegalArgumentException ? e : e.getCause();
            if (bad instanceof IllegalArgumentException) throw new IOException(metaFile + ": invalid model metadata: " + bad.getMessage(), bad);
            throw e;
        }
        if (meta == null || meta.name() == null || meta.schedule() == null || meta.sha256() == null)
            throw new IOException(metaFile + ": incomplete metadata (name, schedule and sha256 are required)");
        verify(dir, meta);
        return new ModelBundle(dir, meta);
    }

    /** The checks of {@link #load} once the metadata is read: files, hashes, signature, conventions. */
    static void verify(Path dir, BundleMetadata meta) throws IOException {
        if (meta.sizeMultiple() < 1)
            throw new IOException("model bundle " + dir + ": metadata sizeMultiple is " + meta.sizeMultiple()
                    + "; it must be at least 1 (every network call's height and width are multiples of it)");
        verifyFiles(dir, meta);
        verifySignature(dir, meta);
    }

    /** Loads the bundle shipped on the classpath (copied to a temporary folder, as SavedModel needs files). */
    public static ModelBundle loadDefault() throws IOException {
        return loadResource(DEFAULT_RESOURCE);
    }

    /** Classpath folder -> where this process unpacked it (once per process, removed when it exits). */
    private static final Map<String, Path> UNPACKED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Loads a bundle from a classpath folder that holds a bundle-files.txt index. It is unpacked once per process into
     * a marked temporary folder that is removed at exit, and by the next run when this one was killed.
     */
    public static ModelBundle loadResource(String folder) throws IOException {
        String base = folder.endsWith("/") ? folder : folder + "/";
        Path dir;
        synchronized (UNPACKED) {
            dir = UNPACKED.get(base);
            if (dir == null || !Files.isDirectory(dir)) {
                dir = unpack(base);
                UNPACKED.put(base, dir);
            }
        }
        return load(dir);
    }

    private static Path unpack(String base) throws IOException {
        List<String> files = new ArrayList<>();
        try (InputStream in = ModelBundle.class.getResourceAsStream(base + BundleExporter.FILE_LIST)) {
            if (in == null) throw new IOException("no model bundle on the classpath at " + base + " (missing "
                    + BundleExporter.FILE_LIST + ")");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                if (!line.isBlank()) files.add(line.trim());
        }
        Path tmp = OwnedTempFolder.createInSystemTemp("diffdenoise-model");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> FileTrees.deleteQuietly(tmp), "diffdenoise-model-cleanup"));
        try {
            for (String f : files) {
                if (f.contains("..") || f.startsWith("/")) throw new IOException("bad file name in bundle index: " + f);
                Path target = tmp.resolve(f);
                Files.createDirectories(target.getParent());
                try (InputStream in = ModelBundle.class.getResourceAsStream(base + f)) {
                    if (in == null) throw new IOException("model bundle on the classpath at " + base + " lacks " + f);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteQuietly(tmp);
            throw e;
        }
        return tmp;
    }

    public Path directory() {
        return dir;
    }

    public BundleMetadata metadata() {
        return metadata;
    }

    /** The schedule the model was trained with (the one source of truth for it). */
    public NoiseSchedule schedule() {
        return metadata.schedule().toNoiseSchedule();
    }

    public String sha256() {
        return metadata.sha256();
    }

    public ModelDescriptor descriptor() {
        return new ModelDescriptor(METHOD, metadata.name(), metadata.version(), metadata.sha256());
    }

    /** Opens the network on the default device (GPU when one is visible to TensorFlow), 2 intra-op threads. */
    public DenoisingNetwork openNetwork() {
        return openNetwork(2);
    }

    /** Opens the network with a given number of intra-op threads; the caller closes it. */
    public DenoisingNetwork openNetwork(int intraOpThreads) {
        return open(dir, metadata, intraOpThreads);
    }

    /** Opens the network and runs it once on a tiny input (see {@link TfDenoisingNetwork#probe}). */
    static TfDenoisingNetwork open(Path dir, BundleMetadata metadata, int intraOpThreads) {
        TfDenoisingNetwork net = new TfDenoisingNetwork(dir, metadata, intraOpThreads);
        try {
            net.probe(dir);
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    private static void verifyFiles(Path dir, BundleMetadata meta) throws IOException {
        if (!Files.isRegularFile(dir.resolve("saved_model.pb")))
            throw new IOException("model bundle " + dir + ": missing saved_model.pb");
        if (meta.fileSha256() != null) {
            for (Map.Entry<String, String> e : meta.fileSha256().entrySet()) {
                Path f = dir.resolve(e.getKey());
                if (!Files.isRegularFile(f))
                    throw new IOException("model bundle " + dir + ": missing file " + e.getKey());
                String actual = SavedModelHash.fileSha256(f);
                if (!actual.equalsIgnoreCase(e.getValue()))
                    throw new IOException("model bundle " + dir + ": file " + e.getKey() + " is corrupt or modified (sha256 "
                            + actual + ", metadata says " + e.getValue() + ")");
            }
        }
        String actual = SavedModelHash.sha256(dir);
        if (!actual.equalsIgnoreCase(meta.sha256()))
            throw new IOException("model bundle " + dir + ": SavedModel files " + SavedModelHash.savedModelFiles(dir)
                    + " do not match the metadata's sha256 (computed " + actual + ", expected " + meta.sha256()
                    + "); the bundle is corrupt, modified, or has extra/missing files");
    }

    /** Expected signature, for error messages. */
    static final String EXPECTED_SIGNATURE = "inputs x_t float32 [N,H,W,1], cond float32 [N,H,W," + CONDITION_CHANNELS
            + "], t float32 [N], alpha_bar float32 [N], family float32 [N," + ModelSignature.FAMILY_CHANNELS
            + "]; output x0 float32 [N,H,W,1]";

    private static void verifySignature(Path dir, BundleMetadata meta) throws IOException {
        String where = "model bundle " + dir;
        List<String> tags = meta.tags() == null || meta.tags().isEmpty() ? List.of("serve") : meta.tags();
        String key = meta.signatureKey() == null ? "serving_default" : meta.signatureKey();
        SavedModel sm;
        try (InputStream in = Files.newInputStream(dir.resolve("saved_model.pb"))) {
            sm = SavedModel.parseFrom(in);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException(where + ": saved_model.pb is not a SavedModel: " + e.getMessage(), e);
        }
        MetaGraphDef mg = null;
        for (MetaGraphDef m : sm.getMetaGraphsList())
            if (m.getMetaInfoDef().getTagsList().containsAll(tags)) mg = m;
        if (mg == null) throw new IOException(where + ": no meta graph with tags " + tags);
        SignatureDef sig = mg.getSignatureDefMap().get(key);
        if (sig == null)
            throw new IOException(where + ": no signature '" + key + "' (found " + mg.getSignatureDefMap().keySet()
                    + "); expected " + EXPECTED_SIGNATURE);
        if (meta.conditionChannels() != CONDITION_CHANNELS)
            throw new IOException(where + ": metadata says conditionChannels " + meta.conditionChannels() + ", expected "
                    + CONDITION_CHANNELS + " (" + ModelSignature.CONDITION_MEANING + ")");
        checkTensor(where, "input", sig.getInputsMap(), UNetGraph.X_T, new long[] {-1, -1, -1, 1});
        checkTensor(where, "input", sig.getInputsMap(), UNetGraph.COND, new long[] {-1, -1, -1, CONDITION_CHANNELS});
        checkTensor(where, "input", sig.getInputsMap(), UNetGraph.T, new long[] {-1});
        checkTensor(where, "input", sig.getInputsMap(), UNetGraph.ALPHA_BAR, new long[] {-1});
        checkTensor(where, "input", sig.getInputsMap(), UNetGraph.FAMILY, new long[] {-1, ModelSignature.FAMILY_CHANNELS});
        checkTensor(where, "output", sig.getOutputsMap(), UNetGraph.X0, new long[] {-1, -1, -1, 1});
        if (meta.noiseFamilies() != null) {
            List<String> ours = ModelSignature.FAMILIES.stream().map(Enum::name).toList();
            if (!meta.noiseFamilies().equals(ours))
                throw new IOException(where + ": metadata noiseFamilies " + meta.noiseFamilies() + " differ from " + ours);
        }
    }

    // expected: -1 = any size; a known size must match
    private static void checkTensor(String where, String kind, Map<String, TensorInfo> map, String name, long[] expected)
            throws IOException {
        TensorInfo ti = map.get(name);
        if (ti == null)
            throw new IOException(where + ": signature has no " + kind + " '" + name + "' (found " + map.keySet()
                    + "); expected " + EXPECTED_SIGNATURE);
        if (ti.getDtype() != DataType.DT_FLOAT)
            throw new IOException(where + ": " + kind + " '" + name + "' has dtype " + ti.getDtype() + ", expected float32");
        TensorShapeProto shape = ti.getTensorShape();
        String found = describe(shape);
        if (shape.getUnknownRank()) return;
        boolean ok = shape.getDimCount() == expected.length;
        for (int i = 0; ok && i < expected.length; i++) {
            long d = shape.getDim(i).getSize();
            if (expected[i] >= 0 && d >= 0 && d != expected[i]) ok = false;
        }
        if (!ok)
            throw new IOException(where + ": " + kind + " '" + name + "' has shape " + found + ", expected "
                    + describe(expected) + " (" + EXPECTED_SIGNATURE + ")");
    }

    private static String describe(TensorShapeProto s) {
        if (s.getUnknownRank()) return "unknown";
        long[] d = new long[s.getDimCount()];
        for (int i = 0; i < d.length; i++) d[i] = s.getDim(i).getSize();
        return describe(d);
    }

    private static String describe(long[] d) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < d.length; i++) b.append(i > 0 ? "," : "").append(d[i] < 0 ? "?" : String.valueOf(d[i]));
        return b.append(']').toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s (sha256 %s) at %s", metadata.name(), metadata.version(),
                metadata.sha256(), dir);
    }
}
