package org.diffdenoise.pipeline;

import java.nio.file.Path;
import java.util.List;

import org.diffdenoise.dicom.SkippedFile;

/** What a batch run over a study folder did: one result per series, and the files that were not images. */
public record BatchReport(Path input, Path output, List<SeriesResult> results, List<SkippedFile> skipped) {

    public BatchReport {
        results = List.copyOf(results);
        skipped = List.copyOf(skipped);
    }

    public long written() {
        return count(SeriesStatus.WRITTEN);
    }

    /** Series written from incomplete input (allowed by the options, marked in the output). */
    public long incomplete() {
        return count(SeriesStatus.INCOMPLETE);
    }

    /** Series whose derived series an earlier run with the same settings and model had already written. */
    public long alreadyDone() {
        return count(SeriesStatus.ALREADY_DONE);
    }

    public long failed() {
        return count(SeriesStatus.FAILED);
    }

    public long cancelled() {
        return count(SeriesStatus.CANCELLED) + count(SeriesStatus.NOT_RUN);
    }

    /** True when every series found was written, now or by an earlier run with the same settings and model. */
    public boolean allWritten() {
        return written() + alreadyDone() == results.size();
    }

    private long count(SeriesStatus s) {
        return results.stream().filter(r -> r.status() == s).count();
    }
}
