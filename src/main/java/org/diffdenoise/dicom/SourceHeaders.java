package org.diffdenoise.dicom;

/**
 * Opaque handle to the source headers a backend keeps beside a loaded series, so its writer can derive new
 * instances from them; only the backend that made it reads it.
 */
public interface SourceHeaders {
    /** Name of the backend that created these headers (e.g. "pixelmed"). */
    String backendName();
}
