package org.diffdenoise.api;

/**
 * A denoiser found no measurable noise in any slice of an input (and no noise level was given), so its output would
 * equal its input: callers report this instead of writing an unchanged copy labelled as denoised.
 */
public final class NothingToDenoiseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Whether giving a noise level would denoise it anyway (false when a strength the user asked for is the reason). */
    private final boolean levelHelps;

    public NothingToDenoiseException(String message) {
        this(message, true);
    }

    public NothingToDenoiseException(String message, boolean levelHelps) {
        super(message);
        this.levelHelps = levelHelps;
    }

    /** Whether giving a noise level would denoise it anyway: callers say so only then. */
    public boolean levelHelps() {
        return levelHelps;
    }
}
