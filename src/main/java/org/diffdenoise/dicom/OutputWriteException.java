package org.diffdenoise.dicom;

import java.nio.file.Path;

/**
 * Writing a derived series failed in the file system of the output (full, read-only, an I/O error), not because of
 * the series: the same series can be written once that is mended. Nothing of the series is left in the output.
 */
public class OutputWriteException extends DicomException {
    private static final long serialVersionUID = 1L;

    public OutputWriteException(Path file, String reason, Throwable cause) {
        super(file, reason, cause);
    }
}
