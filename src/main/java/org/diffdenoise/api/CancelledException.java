package org.diffdenoise.api;

/** Thrown when the user cancelled an operation; partial results are discarded by the caller. */
public class CancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CancelledException() {
        super("cancelled by the user");
    }
}
