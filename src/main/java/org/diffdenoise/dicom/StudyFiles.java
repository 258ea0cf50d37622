package org.diffdenoise.dicom;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The files of an input folder tree: symbolic links are followed (an input that is a link to a folder included),
 * each real folder and file is visited once (so link loops end), and every entry that is not read as a file (a FIFO,
 * a socket or device, a dangling link, a loop, a folder named like a DICOM file, an unreadable file) is listed with
 * its reason. Nothing but regular files is ever opened: opening a FIFO would block.
 *
 * @param files   regular files to read, sorted by path
 * @param skipped entries that are not read as files, with the reason
 */
public record StudyFiles(List<Path> files, List<SkippedFile> skipped) {
    private static final Pattern DICOM_FILE_NAME = Pattern.compile("(?i).*\\.(dcm|dicom|dic|ima)$");

    public StudyFiles {
        files = List.copyOf(files);
        skipped = List.copyOf(skipped);
    }

    /** Lists {@code input}: a file (or a link to one) alone, or a folder (or a link to one) recursively. */
    public static StudyFiles list(Path input) throws IOException {
        Path root = input.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(root) && !Files.exists(root)) {
            throw new IOException(root + ": broken symbolic link (its target " + Files.readSymbolicLink(root)
                    + " does not exist)");
        }
        if (Files.isRegularFile(root)) {
            return new StudyFiles(List.of(root), List.of());
        }
        if (!Files.isDirectory(root)) {
            if (Files.exists(root)) {
                throw new IOException(root + ": not a regular file or folder (" + kind(root) + ")");
            }
            throw new IOException(root + ": no such file or folder");
        }
        List<Path> files = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>();
        Set<Path> visitedFolders = new HashSet<>();
        Map<Path, Path> visitedFiles = new HashMap<>();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path real;
                try {
                    real = dir.toRealPath();
                } catch (IOException e) {
                    skipped.add(new SkippedFile(dir, "folder cannot be read (" + reason(e) + ")"));
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (!visitedFolders.add(real)) {
                    skipped.add(new SkippedFile(dir, "symbolic link to a folder that is already scanned (" + real + ")"));
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (!dir.equals(root) && DICOM_FILE_NAME.matcher(dir.getFileName().toString()).matches()) {
                    skipped.add(new SkippedFile(dir, "a folder, not a file (named like a DICOM file; what it holds is scanned)"));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isSymbolicLink()) {
                    // with FOLLOW_LINKS a link's own attributes only come back when its target cannot be reached
                    skipped.add(new SkippedFile(file, "broken symbolic link (its target does not exist)"));
                } else if (!attrs.isRegularFile()) {
                    skipped.add(new SkippedFile(file, "not a regular file (" + kind(file) + "): not read"));
                } else if (!Files.isReadable(file)) {
                    skipped.add(new SkippedFile(file, "unreadable: permission denied"));
                } else {
                    Path real;
                    try {
                        real = file.toRealPath();
                    } catch (IOException e) {
                        skipped.add(new SkippedFile(file, "unreadable: " + reason(e)));
                        return FileVisitResult.CONTINUE;
                    }
                    Path earlier = visitedFiles.putIfAbsent(real, file);
                    if (earlier != null) {
                        skipped.add(new SkippedFile(file, "the same file as " + earlier + " (reached through a symbolic link)"));
                    } else {
                        files.add(file);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                skipped.add(new SkippedFile(file, e instanceof FileSystemLoopException
                        ? "symbolic link loop (a link to a folder that contains it): not followed"
                        : "cannot be read (" + reason(e) + ")"));
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(Comparator.comparing(Path::toString));
        skipped.sort(Comparator.comparing(s -> s.file().toString()));
        return new StudyFiles(files, skipped);
    }

    private static String kind(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (a.isOther()) {
                Object type = Files.getAttribute(p, "unix:mode");
                if (type instanceof Integer mode) {
                    return switch (mode & 0170000) {
                        case 0010000 -> "a FIFO";
                        case 0140000 -> "a socket";
                        case 0020000 -> "a character device";
                        case 0060000 -> "a block device";
                        default -> "a special file";
                    };
                }
                return "a special file";
            }
            return a.isDirectory() ? "a folder" : "a special file";
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "it no longer exists";
        String m = e.getMessage();
        return m == null ? "I/O error" : m;
    }
}
