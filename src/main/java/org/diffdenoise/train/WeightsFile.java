package org.diffdenoise.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.diffdenoise.model.UNetConfig;
import org.diffdenoise.model.tf.TfNetworks;
import org.diffdenoise.model.tf.UNetGraph;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A plain file of named float arrays (U-Net parameters by their logical name), used to warm-start a training run from
 * the weights of an earlier one: magic "DDW1", the array count, then per array its UTF name, length and big-endian
 * floats. Independent of TensorFlow's checkpoint variable names, which depend on how the graph was built.
 * {@link #load} also reads the weights out of a model bundle this project exported.
 */
public final class WeightsFile {

    private static final int MAGIC = 0x44445731; // "DDW1"

    private WeightsFile() {
    }

    /** Writes the arrays atomically (temporary file, then move). */
    public static void write(Path file, Map<String, float[]> weights) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(MAGIC);
            out.writeInt(weights.size());
            for (Map.Entry<String, float[]> e : weights.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                for (float v : e.getValue()) out.writeFloat(v);
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a file written by {@link #write}; a file of another kind or a truncated one gives an error naming it. */
    public static Map<String, float[]> read(Path file) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) throw new IOException(file + ": not a DiffDenoise weights file (bad magic)");
            int n = in.readInt();
            if (n < 0 || n > 100_000) throw new IOException(file + ": implausible array count " + n);
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int len = in.readInt();
                if (len < 0 || len > 100_000_000) throw new IOException(file + ": implausible length " + len + " for " + name);
                float[] v = new float[len];
                for (int k = 0; k < len; k++) v[k] = in.readFloat();
                out.put(name, v);
            }
        } catch (EOFException e) {
            throw new IOException(file + ": truncated weights file", e);
        }
        return out;
    }

    // the kernel [k, out] of a texture projection trained with the first k < k' texture numbers, for a network taking k'
    private static boolean isNarrowerTextureKernel(UNetGraph.Parameter p, long[] found) {
        return UNetGraph.isTextureParameter(p.name()) && found.length == 2 && p.shape().length == 2
                && found[1] == p.shape()[1] && found[0] >= 1 && found[0] < p.shape()[0];
    }

    /** Weights from a weights file, or from a model bundle directory (a folder with diffdenoise-model.json). */
    public static Map<String, float[]> load(Path fileOrBundle, UNetConfig config) throws IOException {
        return Files.isDirectory(fileOrBundle) ? fromBundle(fileOrBundle, config) : read(fileOrBundle);
    }

    /**
     * Reads the U-Net weights out of an exported bundle (verified by {@link TfNetworks#load} first). The bundle's
     * variables are matched to the parameters of {@code config} by name, ignoring the "_N" suffixes TensorFlow adds to
     * repeated scopes, or else (same count only) by creation order; every shape must agree. A bundle of a smaller
     * network of the same family (fewer decoder blocks) gives the parameters it has: the others are absent from the
     * map and keep their initial values in {@link Trainer#loadWeights}. A bundle trained with a narrower noise texture
     * (the first k of {@code NoiseTexture}'s numbers) gives its texture kernels widened by zero rows.
     */
    public static Map<String, float[]> fromBundle(Path dir, UNetConfig config) throws IOException {
        TfNetworks.load(dir);
        Map<String, UNetGraph.Parameter> paramsByName; // names and shapes in creation order; the variables die with the graph
        try (Graph g = new Graph()) {
            paramsByName = new UNetGraph(Ops.create(g), config, UNetGraph.zeros(), 0).parametersByName();
        }
        List<UNetGraph.Parameter> params = new ArrayList<>(paramsByName.values());
        try (SavedModelBundle b = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG)) {
            List<String> vars = new ArrayList<>();
            for (Iterator<GraphOperation> it = b.graph().operations(); it.hasNext(); ) {
                GraphOperation op = it.next();
                if (op.type().equals("VarHandleOp"))
                    throw new IOException(dir + ": resource variables are not supported (" + op.name() + ")");
                if (op.type().equals("VariableV2")) vars.add(op.name());
            }
            Map<String, String> byName = new LinkedHashMap<>();
            for (String v : vars) byName.put(v.replaceAll("_[0-9]+(?=/|$)", ""), v);
            Map<String, String> source = new LinkedHashMap<>(); // parameter name -> bundle variable
            if (paramsByName.keySet().containsAll(byName.keySet()) && vars.size() <= params.size()) {
                for (UNetGraph.Parameter p : params) if (byName.containsKey(p.name())) source.put(p.name(), byName.get(p.name()));
            } else if (vars.size() == params.size()) {
                for (int i = 0; i < params.size(); i++) source.put(params.get(i).name(), vars.get(i));
            } else {
                List<String> unknown = new ArrayList<>(byName.keySet());
                unknown.removeAll(paramsByName.keySet());
                throw new IOException(dir + ": " + vars.size() + " variables, the U-Net " + config + " has " + params.size()
                        + (unknown.isEmpty() ? "" : "; not in it: " + unknown.subList(0, Math.min(3, unknown.size()))));
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            Session s = b.session();
            for (Map.Entry<String, String> e : source.entrySet()) {
                UNetGraph.Parameter p = paramsByName.get(e.getKey());
                String var = e.getValue();
                try (Result res = s.runner().fetch(var).run()) {
                    TFloat32 t = (TFloat32) res.get(0);
                    long[] found = t.shape().asArray();
                    boolean widened = isNarrowerTextureKernel(p, found);
                    if (!widened && (t.size() != p.size() || !java.util.Arrays.equals(found, p.shape())))
                        throw new IOException(dir + ": variable " + var + " has shape " + t.shape() + ", parameter "
                                + p.name() + " needs " + java.util.Arrays.toString(p.shape()));
                    // a texture kernel of a narrower texture: its rows first, zero rows for the numbers it never saw
                    // (row-major [channels, out]), so the widened network computes what the bundle did
                    float[] v = new float[p.size()];
                    t.copyTo(DataBuffers.of(v, false, false).slice(0, t.size()));
                    out.put(p.name(), v);
                }
            }
            return out;
        }
    }
}
