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

/**
 * A verified model bundle on disk: a TensorFlow SavedModel plus diffdenoise-model.json. Loading checks the metadata,
 * its conventions ({@link ModelSignature}) and the sha256 of every SavedModel file, so a corrupt or incompatible
 * bundle fails here with a message saying what was expected and what was found. This class never touches TensorFlow:
 * the SavedModel's serving signature is checked, and the network opened, by {@code org.diffdenoise.model.tf.TfNetworks}.
 */
public final class ModelBundle {

    /** Classpath folder of the bundle shipped in the jar. */
    public static final String DEFAULT_RESOURCE = "/org/diffdenoise/model/default/";

    /**
     * Bundles shipped in the jar besides the default, by the name {@code --model} (and the Fiji model field) accepts
     * in place of a folder: {@code ct-xray-correlated}, fine-tuned for spatially correlated CT and X-ray noise
     * (docs/model.md, run h).
     */
    public static final Map<String, String> SHIPPED = Map.of("ct-xray-correlated", "/org/diffdenoise/model/ct-xray-correlated/");

    /** The classpath folder of a shipped bundle that {@code p} names (a bare name that is not an existing file), or null. */
    public static String shippedResource(Path p) {
        if (p == null || p.getNameCount() != 1 || p.isAbsolute() || Files.exists(p)) return null;
        return SHIPPED.get(p.toString());
    }
    /** Conditioning channels the pipeline supplies (noisy slice, previous, next, sigma map). */
    public static final int CONDITION_CHANNELS = ModelSignature.CONDITION_CHANNELS;
    /** Name of the file listing a bundle's files, one relative path a line (for loading from the classpath). */
    public static final String FILE_LIST = "bundle-files.txt";
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

    /**
     * The checks of {@link #load} once the metadata is read: files, hashes and the conventions of
     * {@link ModelSignature} (the SavedModel's own signature is checked in {@code model.tf}).
     */
    public static void verify(Path dir, BundleMetadata meta) throws IOException {
        if (meta.sizeMultiple() < 1)
            throw new IOException("model bundle " + dir + ": metadata sizeMultiple is " + meta.sizeMultiple()
                    + "; it must be at least 1 (every network call's height and width are multiples of it)");
        verifyFiles(dir, meta);
        verifyConventions(dir, meta);
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
        try (InputStream in = ModelBundle.class.getResourceAsStream(base + FILE_LIST)) {
            if (in == null) throw new IOException("no model bundle on the classpath at " + base + " (missing "
                    + FILE_LIST + ")");
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

    private static void verifyConventions(Path dir, BundleMetadata meta) throws IOException {
        String where = "model bundle " + dir;
        if (meta.conditionChannels() != CONDITION_CHANNELS)
            throw new IOException(where + ": metadata says conditionChannels " + meta.conditionChannels() + ", expected "
                    + CONDITION_CHANNELS + " (" + ModelSignature.CONDITION_MEANING + ")");
        if (meta.noiseFamilies() != null) {
            List<String> ours = ModelSignature.FAMILIES.stream().map(Enum::name).toList();
            if (!meta.noiseFamilies().equals(ours))
                throw new IOException(where + ": metadata noiseFamilies " + meta.noiseFamilies() + " differ from " + ours);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s (sha256 %s) at %s", metadata.name(), metadata.version(),
                metadata.sha256(), dir);
    }
}
