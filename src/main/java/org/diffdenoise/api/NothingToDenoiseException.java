package org.diffdenoise.api;

/**
 * A denoiser found no measurable noise in any slice of an input (and no noise level was given), so its output would
 * equal its input: callers report this instead of writing an unchanged copy labelled as denoised.
 */
public final class NothingToDenoiseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NothingToDenoiseException(String message) {
        super(message);
    }
}
