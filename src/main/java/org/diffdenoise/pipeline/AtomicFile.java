package org.diffdenoise.pipeline;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

import org.diffdenoise.api.ErrorText;

/**
 * A file written all at once: into a hidden temporary file beside it (same file system), then renamed into place, so
 * a reader sees the old file or the new one, never half of one, and a failed write leaves the old file as it was.
 */
public final class AtomicFile {

    /** Writes the content into the given (temporary) file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path file) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Writes {@code target}; an existing file is replaced only when {@code replace} (a symbolic link there is replaced
     * itself, its target is never written).
     */
    public static void write(Path target, boolean replace, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + abs.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            content.writeTo(tmp);
            if (!replace) {
                Files.move(tmp, abs);  // fails when the target exists, however it came to be there
            } else {
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException(target + " already exists (add --overwrite to replace it)", e);
        } catch (IOException e) {
            throw new IOException(ErrorText.of(e), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
