package org.diffdenoise.dicom;

import java.nio.file.Path;

/**
 * Where a derived series was written, its new Series Instance UID and how many instances it has; for a denoised
 * series written with an uncertainty map, {@code uncertainty} describes that second series (else null).
 */
public record SeriesWriteResult(Path directory, String seriesInstanceUid, int instances, SeriesWriteResult uncertainty) {

    public SeriesWriteResult(Path directory, String seriesInstanceUid, int instances) {
        this(directory, seriesInstanceUid, instances, null);
    }
}
