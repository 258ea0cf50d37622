package org.diffdenoise.dicom;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A series folder written all-or-nothing: files go into a hidden temporary folder beside the target (same file
 * system, so the final rename is atomic) and are moved into place by {@link #commit()}; {@link #close()} without
 * commit removes the temporary folder.
 */
public final class AtomicSeriesDirectory implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private boolean committed;

    private AtomicSeriesDirectory(Path target, Path temp, boolean overwrite) {
        this.target = target;
        this.temp = temp;
        this.overwrite = overwrite;
    }

    /** Creates the temporary folder for {@code outputRoot/name}; fails when the target exists and !overwrite. */
    public static AtomicSeriesDirectory open(Path outputRoot, String name, boolean overwrite) throws DicomException {
        Path target = outputRoot.resolve(name);
        if (Files.exists(target) && !overwrite) {
            throw new DicomException(target, "output series folder already exists (overwrite not requested)");
        }
        try {
            Files.createDirectories(outputRoot);
            Path temp = Files.createDirectory(outputRoot.resolve("." + name + ".tmp-" + UUID.randomUUID()));
            return new AtomicSeriesDirectory(target, temp, overwrite);
        } catch (IOException e) {
            throw new DicomException(outputRoot, "cannot create temporary output folder: " + e, e);
        }
    }

    /** Folder to write into until commit. */
    public Path tempDirectory() {
        return temp;
    }

    /** Final location. */
    public Path target() {
        return target;
    }

    /** Moves the finished series into place (replacing an existing folder only when overwrite was requested). */
    public Path commit() throws DicomException {
        Path old = null;
        try {
            if (Files.exists(target)) {
                if (!overwrite) {
                    throw new DicomException(target, "output series folder appeared while writing (overwrite not requested)");
                }
                old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
                move(target, old);
            }
            move(temp, target);
            committed = true;
        } catch (IOException e) {
            if (old != null && !Files.exists(target)) {
                try {
                    move(old, target);
                    old = null;
                } catch (IOException ignored) {
                    // the old series stays under its hidden name; reported below
                }
            }
            throw new DicomException(target, "cannot move finished series into place: " + e
                    + (old != null ? " (previous output kept at " + old + ")" : ""), e);
        }
        if (old != null) {
            deleteTree(old);
        }
        return target;
    }

    /** Removes the temporary folder unless committed. */
    @Override
    public void close() {
        if (!committed) {
            deleteTree(temp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            if (Files.exists(to)) {
                throw new FileAlreadyExistsException(to.toString());
            }
            Files.move(from, to);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover hidden temp folder is harmless and named as such
                }
            });
        } catch (IOException ignored) {
            // best effort, see above
        }
    }
}
