package org.diffdenoise.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** The sha256 of a bundle's SavedModel files, as defined in {@link BundleMetadata#SHA256_DEFINITION}. */
public final class SavedModelHash {

    private SavedModelHash() {
    }

    /** Relative paths ('/'-separated, sorted) of the SavedModel files in a bundle directory. */
    public static List<String> savedModelFiles(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve("saved_model.pb"))) out.add("saved_model.pb");
        Path vars = dir.resolve("variables");
        if (Files.isDirectory(vars)) {
            try (Stream<Path> s = Files.list(vars)) {
                s.filter(Files::isRegularFile).forEach(p -> out.add("variables/" + p.getFileName()));
            }
        }
        out.sort(null);
        return out;
    }

    /** Each SavedModel file of a bundle directory (relative path, sorted) with its own hex sha256. */
    public static java.util.SortedMap<String, String> fileHashes(Path dir) throws IOException {
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        for (String f : savedModelFiles(dir)) out.put(f, fileSha256(dir.resolve(f)));
        return out;
    }

    /** Hex sha256 of one file's bytes. */
    public static String fileSha256(Path file) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) md.update(buf, 0, r);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hex sha256 over the SavedModel files of a bundle directory. */
    public static String sha256(Path dir) throws IOException {
        MessageDigest md = digest();
        List<String> files = savedModelFiles(dir);
        if (!files.contains("saved_model.pb")) throw new IOException(dir + ": no saved_model.pb");
        byte[] buf = new byte[1 << 16];
        for (String rel : files) {
            Path p = dir.resolve(rel);
            md.update(rel.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            long len = Files.size(p);
            for (int i = 7; i >= 0; i--) md.update((byte) (len >>> (8 * i)));
            try (InputStream in = Files.newInputStream(p)) {
                int r;
                while ((r = in.read(buf)) > 0) md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
