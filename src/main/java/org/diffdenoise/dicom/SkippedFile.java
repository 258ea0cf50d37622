package org.diffdenoise.dicom;

import java.nio.file.Path;

/** A file found by a scan that is not part of any image series, with the reason it was left out. */
public record SkippedFile(Path file, String reason) {
}
