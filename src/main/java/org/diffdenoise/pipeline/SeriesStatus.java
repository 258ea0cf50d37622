package org.diffdenoise.pipeline;

/** How one series of a batch ended. */
public enum SeriesStatus {
    /** The derived series was written completely. */
    WRITTEN,
    /**
     * Written although the input series is incomplete (images missing or unreadable), because the options allow it;
     * the derived instances say so in Image Comments.
     */
    INCOMPLETE,
    /** Reading, denoising or writing failed; nothing was left in the output. */
    FAILED,
    /** The user cancelled while this series was running; nothing was left in the output. */
    CANCELLED,
    /** Its derived series was already in the output, made from it with the same settings and model; kept, not recomputed. */
    ALREADY_DONE,
    /** Not attempted: the batch was cancelled earlier, or the series was not selected. */
    NOT_RUN
}
