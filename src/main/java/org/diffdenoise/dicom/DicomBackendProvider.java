package org.diffdenoise.dicom;

/** Service-provider entry (META-INF/services) through which {@link Dicom} finds backends by name. */
public interface DicomBackendProvider {
    /** Backend name, e.g. "pixelmed" or "dcm4che". */
    String name();

    /** Creates the backend. */
    DicomBackend create();
}
