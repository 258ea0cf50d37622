package org.diffdenoise.api;

/** A cancel flag passed down the layers; checked between slices and steps. */
public final class CancelToken {
    private volatile boolean cancelled;

    /** A token that is never cancelled by anyone else. */
    public static CancelToken none() {
        return new CancelToken();
    }

    /** Requests cancellation; work stops at the next check. */
    public void cancel() {
        cancelled = true;
    }

    /** Whether cancellation was requested. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Throws {@link CancelledException} when cancellation was requested. */
    public void throwIfCancelled() {
        if (cancelled) throw new CancelledException();
    }
}
