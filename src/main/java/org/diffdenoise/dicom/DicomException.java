package org.diffdenoise.dicom;

import java.nio.file.Path;

/** A DICOM read or write failure; the message always names the file (or folder) and the reason. */
public class DicomException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final String reason;

    public DicomException(Path file, String reason) {
        this(file, reason, null);
    }

    public DicomException(Path file, String reason, Throwable cause) {
        super((file == null ? "<no file>" : file.toString()) + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /** The file or folder the failure concerns. */
    public Path file() {
        return file;
    }

    /** The reason alone, without the file name. */
    public String reason() {
        return reason;
    }
}
