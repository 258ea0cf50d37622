package org.diffdenoise.api;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place where a failure becomes the reason a user reads: in plain words, naming the file where the failure
 * has one, without Java class names or stack traces (the front ends print only this).
 */
public final class ErrorText {
    /** "java.io.IOException: ", "DicomException: " and the like, as third-party messages sometimes embed them. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:(?:java|javax|jdk|sun|com|org|net)\\.(?:[A-Za-z0-9_$]+\\.)*[A-Za-z0-9_$]*|[A-Z][A-Za-z0-9_$]*)"
            + "(?:Exception|Error)\\b:?\\s*");

    private ErrorText() {
    }

    /** The reason for {@code t}, in plain words. */
    public static String of(Throwable t) {
        if (t instanceof UncheckedIOException && t.getCause() != null) return of(t.getCause());
        if (t instanceof OutOfMemoryError) {
            return String.format(Locale.ROOT, "not enough memory (Java may use at most %d MB here; allow more with "
                    + "DIFFDENOISE_JAVA_OPTS=-Xmx8g, or use a smaller --tile or --batch)",
                    Runtime.getRuntime().maxMemory() / (1024 * 1024));
        }
        if (t instanceof StackOverflowError) return "the data is nested too deeply to be read";
        if (t instanceof AccessDeniedException e) return file(e) + "permission denied";
        if (t instanceof NoSuchFileException e) return file(e) + "no such file or folder";
        if (t instanceof FileAlreadyExistsException e) return file(e) + "already exists";
        if (t instanceof DirectoryNotEmptyException e) return file(e) + "folder is not empty";
        if (t instanceof NotDirectoryException e) return file(e) + "not a folder";
        if (t instanceof FileSystemException e) {
            String reason = e.getReason() == null ? "file system error" : e.getReason();
            if (reason.equals("Not a directory")) reason = "a part of the path is a file, not a folder";
            return file(e) + reason.toLowerCase(Locale.ROOT) + (e.getOtherFile() == null ? "" : " (" + e.getOtherFile() + ")");
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            if (t.getCause() != null && t.getCause() != t) return of(t.getCause());
            if (t instanceof java.io.IOException) return "input/output error";
            return "internal error (please report it, with the command line that caused it)";
        }
        return clean(m);
    }

    /** {@code message} without embedded Java exception class names. */
    public static String clean(String message) {
        String m = CLASS_NAME.matcher(message).replaceAll("").trim();
        return m.isEmpty() ? "internal error (please report it, with the command line that caused it)" : m;
    }

    private static String file(FileSystemException e) {
        return e.getFile() == null ? "" : e.getFile() + ": ";
    }
}
