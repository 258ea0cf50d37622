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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain file of named float arrays (U-Net parameters by their logical name), used to warm-start a training run from
 * the weights of an earlier one: magic "DDW1", the array count, then per array its UTF name, length and big-endian
 * floats. Independent of TensorFlow's checkpoint variable names, which depend on how the graph was built.
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
}
