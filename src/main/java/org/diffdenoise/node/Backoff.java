package org.diffdenoise.node;

import java.time.Duration;

/** Exponential back-off of something that failed (a destination, the work folder's disk): wait, doubled up to a maximum. */
final class Backoff {
    private long nextAttempt;
    private long delay;

    /** Milliseconds until the next attempt is due; 0 when it is due now. */
    synchronized long millisUntilNext() {
        return Math.max(0, (nextAttempt - System.nanoTime()) / 1_000_000);
    }

    /** One more failure: the next wait ({@code first}, then doubled up to {@code max}), in milliseconds. */
    synchronized long failed(Duration first, Duration max) {
        delay = delay == 0 ? first.toMillis() : Math.min(max.toMillis(), delay * 2);
        nextAttempt = System.nanoTime() + delay * 1_000_000;
        return delay;
    }

    /** A success: the next failure waits {@code first} again. */
    synchronized void succeeded() {
        delay = 0;
        nextAttempt = 0;
    }
}
