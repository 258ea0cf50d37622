package org.diffdenoise.pipeline;

import org.diffdenoise.dicom.SeriesRef;

/** Receives a batch run's progress; the Fiji, CLI and test front ends implement it. All methods default to no-ops. */
public interface BatchListener {

    BatchListener NONE = new BatchListener() { };

    /** Series {@code index} (0-based) of {@code count} starts. */
    default void seriesStarted(int index, int count, SeriesRef series) { }

    /** Progress inside the current series, e.g. stage "slice 3/20 step 2/4". */
    default void progress(int index, int count, String stage, long done, long total) { }

    /** Series {@code index} ended. */
    default void seriesFinished(int index, int count, SeriesResult result) { }

    /** Something done before the series, e.g. the temporary folder of an interrupted run removed from the output. */
    default void note(String message) { }
}
