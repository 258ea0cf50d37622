package org.diffdenoise.dicom;

import java.nio.file.Path;

/** Where a derived series was written, its new Series Instance UID and how many instances it has. */
public record SeriesWriteResult(Path directory, String seriesInstanceUid, int instances) {
}
