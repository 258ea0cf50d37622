package org.diffdenoise.dicom;

import org.diffdenoise.api.FileTrees;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.diffdenoise.api.ErrorText;
import org.diffdenoise.api.OwnedTempFolder;

/**
 * A series folder written all-or-nothing: files go into a hidden temporary folder beside the target (same file
 * system, so the final rename is atomic) and are moved into place by {@link #commit()}; {@link #close()} without
 * commit removes the temporary folder. The temporary folder carries its process's {@link OwnedTempFolder} marker, so
 * that what a killed run leaves behind is removed by the next run ({@link #removeLeftovers}) and never read as a series
 * ({@link #workFolderOf}).
 */
public final class AtomicSeriesDirectory implements AutoCloseable {
    /** {@code .NAME.tmp-UUID} (being written) and {@code .NAME.old-UUID} (previous output set aside while committing). */
    private static final Pattern WORK_FOLDER = Pattern.compile(
            "\\..+\\.(tmp|old)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
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
            Path temp = OwnedTempFolder.create(outputRoot, "." + name + ".tmp-" + UUID.randomUUID());
            return new AtomicSeriesDirectory(target, temp, overwrite);
        } catch (IOException e) {
            throw new OutputWriteException(outputRoot, "cannot create temporary output folder: " + ErrorText.of(e), e);
        }
    }

    /** True for the name of a folder this class works in (never a finished series). */
    public static boolean isWorkFolderName(String name) {
        return WORK_FOLDER.matcher(name).matches();
    }

    /** The work folder under {@code root} that holds {@code file}, or null when the file is not in one. */
    public static Path workFolderOf(Path root, Path file) {
        Path rel = root.relativize(file);
        Path at = root;
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            at = at.resolve(rel.getName(i));
            if (isWorkFolderName(rel.getName(i).toString())) return at;
        }
        return null;
    }

    /**
     * Cleans up after runs into {@code outputRoot} that were killed: removes their temporary folders (only those whose
     * process has ended), and puts back a previous series that was set aside when the run died before its
     * replacement was in place (deleting it when the replacement is there).
     *
     * @return what was removed or restored, one line each
     */
    public static List<String> removeLeftovers(Path outputRoot) {
        List<String> done = new java.util.ArrayList<>();
        for (Path p : OwnedTempFolder.removeStale(outputRoot, n -> isWorkFolderName(n) && n.contains(".tmp-")))
            done.add("removed " + p + " (temporary folder of an interrupted run)");
        if (!Files.isDirectory(outputRoot)) return done;
        try (var s = Files.list(outputRoot)) {
            for (Path old : (Iterable<Path>) s::iterator) {
                String n = old.getFileName().toString();
                if (!isWorkFolderName(n) || !n.contains(".old-") || !Files.isDirectory(old)) continue;
                Path target = old.resolveSibling(n.substring(1, n.lastIndexOf(".old-")));
                if (Files.exists(target)) {
                    FileTrees.deleteQuietly(old);
                    done.add("removed " + old + " (previous output that an interrupted run had replaced)");
                } else {
                    try {
                        move(old, target);
                        done.add("restored " + target + " (an interrupted run had set it aside)");
                    } catch (IOException e) {
                        // stays; it is never read as a series
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
        return done;
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
                OwnedTempFolder.unmark(dirs[i].temp);
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
            throw new OutputWriteException(failing.target, "cannot move finished series into place: " + ErrorText.of(e) + kept, e);
        }
        for (Path o : old) {
            if (o != null) FileTrees.deleteQuietly(o);
        }
    }

    /** Removes the temporary folder unless committed. */
    @Override
    public void close() {
        if (!committed) {
            FileTrees.deleteQuietly(temp);
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
}
