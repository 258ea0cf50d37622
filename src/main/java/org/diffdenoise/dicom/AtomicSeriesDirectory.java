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
        commitTogether(this);
        return target;
    }

    /**
     * Moves several finished series into place as one unit: either every one is in place afterwards, or none is
     * and every folder that existed before is back (existing folders are replaced only where overwrite was
     * requested).
     */
    public static void commitTogether(AtomicSeriesDirectory... dirs) throws DicomException {
        for (AtomicSeriesDirectory d : dirs) {
            if (Files.exists(d.target) && !d.overwrite) {
                throw new DicomException(d.target, "output series folder appeared while writing (overwrite not requested)");
            }
        }
        Path[] old = new Path[dirs.length];
        int installed = 0;
        AtomicSeriesDirectory failing = dirs.length > 0 ? dirs[0] : null;
        try {
            for (int i = 0; i < dirs.length; i++) {
                failing = dirs[i];
                if (Files.exists(dirs[i].target)) {
                    Path aside = dirs[i].target.resolveSibling("." + dirs[i].target.getFileName() + ".old-" + UUID.randomUUID());
                    move(dirs[i].target, aside);
                    old[i] = aside;
                }
                move(dirs[i].temp, dirs[i].target);
                dirs[i].committed = true;
                installed++;
            }
        } catch (IOException e) {
            StringBuilder kept = new StringBuilder();
            for (int i = dirs.length - 1; i >= 0; i--) {
                AtomicSeriesDirectory d = dirs[i];
                try {
                    if (i < installed) {
                        move(d.target, d.temp);  // back to its temporary name; close() removes it
                        d.committed = false;
                    }
                    if (old[i] != null && !Files.exists(d.target)) {
                        move(old[i], d.target);
                        old[i] = null;
                    }
                } catch (IOException ignored) {
                    // reported below
                }
                if (old[i] != null) kept.append(" (previous output kept at ").append(old[i]).append(')');
            }
            throw new DicomException(failing.target, "cannot move finished series into place: " + e + kept, e);
        }
        for (Path o : old) {
            if (o != null) deleteTree(o);
        }
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
