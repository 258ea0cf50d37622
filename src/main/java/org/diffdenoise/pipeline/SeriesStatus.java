package org.diffdenoise.pipeline;

/** How one series of a batch ended. */
public enum SeriesStatus {
    /** The derived series was written completely. */
    WRITTEN,
    /** Reading, denoising or writing failed; nothing was left in the output. */
    FAILED,
    /** The user cancelled while this series was running; nothing was left in the output. */
    CANCELLED,
    /** Its derived series was already in the output, made from it with the same settings and model; kept, not recomputed. */
    ALREADY_DONE,
    /** Not attempted: the batch was cancelled earlier, or the series was not selected. */
    NOT_RUN
}
