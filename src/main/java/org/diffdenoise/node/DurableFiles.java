package org.diffdenoise.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File operations that survive a crash or power cut: fsync of files and folders, atomic renames. */
final class DurableFiles {

    private DurableFiles() {
    }

    /** Forces a file's or folder's content and metadata to disk. */
    static void sync(Path path) throws IOException {
        boolean dir = Files.isDirectory(path);
        try (FileChannel c = dir ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.WRITE)) {
            c.force(true);
        }
    }

    /** Renames atomically (same file system) and syncs both parent folders, so the rename itself is durable. */
    static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        sync(to.getParent());
        if (!from.getParent().equals(to.getParent())) sync(from.getParent());
    }

    /** Replaces {@code file} with {@code text}: written to a temporary file, synced, renamed over it. */
    static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        sync(tmp);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync(file.getParent());
    }

    /** Creates a folder (and missing parents), syncing each parent so the new entries are durable. */
    static Path createFolder(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return dir;
        createFolder(dir.getParent());
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            return dir;
        }
        sync(dir.getParent());
        return dir;
    }

    /** Syncs every file and folder under {@code root}. */
    static void syncTree(Path root) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(all::add);
        }
        // files before their folders
        all.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path p : all) sync(p);
    }

    /** Regular files under {@code root}, sorted by path. */
    static List<Path> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    /** Sub-folders of {@code dir}, sorted by name (queue order). */
    static List<Path> folders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }
}
