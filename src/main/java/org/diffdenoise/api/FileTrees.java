package org.diffdenoise.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Folder trees on disk: recursive delete (links removed, never followed) and atomic replacement of a folder. */
public final class FileTrees {

    private FileTrees() {
    }

    /** Deletes {@code root} and everything under it, if it exists; a symbolic link is removed, never followed. */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        List<Path> deepestFirst;
        try (Stream<Path> s = Files.walk(root)) {
            deepestFirst = s.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : deepestFirst) Files.deleteIfExists(p);
    }

    /** {@link #delete}, best effort: what cannot be removed stays, and nothing is thrown. */
    public static void deleteQuietly(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    /**
     * Moves the finished folder {@code fresh} to {@code target} (same file system), replacing what was there, so a
     * reader sees the old folder or the new one, never a half-written one; the old one is deleted afterwards.
     */
    public static void replaceDirectory(Path fresh, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            old = target.resolveSibling(target.getFileName() + ".old-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) delete(old);
    }
}
