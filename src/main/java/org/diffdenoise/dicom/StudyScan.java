package org.diffdenoise.dicom;

import java.nio.file.Path;
import java.util.List;

/** The result of scanning a folder: every file is either in one of {@code series} or in {@code skipped}. */
public record StudyScan(Path root, List<SeriesRef> series, List<SkippedFile> skipped) {
    public StudyScan {
        series = List.copyOf(series);
        skipped = List.copyOf(skipped);
    }

    /** The series that can be decoded (no unsupported reason). */
    public List<SeriesRef> decodableSeries() {
        return series.stream().filter(SeriesRef::decodable).toList();
    }
}
