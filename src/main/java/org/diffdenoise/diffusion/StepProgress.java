package org.diffdenoise.diffusion;

import org.diffdenoise.api.ProgressListener;

/** Counts the network evaluations of a run against its total and reports each with where it was. */
final class StepProgress {

    private final ProgressListener listener;
    private final long total;
    private long done;

    StepProgress(ProgressListener listener, long total) {
        this.listener = listener;
        this.total = total;
    }

    /** One evaluation done: step {@code step} of {@code steps} of the batch described by {@code where}. */
    void stepDone(String where, int step, int steps) {
        done++;
        listener.progress(where + " step " + step + "/" + steps, done, total);
    }

    void finish() {
        listener.progress("done", total, total);
    }
}
