package org.diffdenoise.api;

/** Receives progress from a long operation; implementations must be cheap and thread-safe. */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = (stage, done, total) -> { };

    /**
     * Reports that {@code done} of {@code total} units of {@code stage} are finished.
     * @param stage short human-readable name, e.g. "series 2/5 slice 14/20 step 3/4"
     */
    void progress(String stage, long done, long total);
}
