package org.diffdenoise.dicom.pixelmed;

import org.diffdenoise.dicom.DicomBackend;
import org.diffdenoise.dicom.DicomBackendProvider;

/** Registers the PixelMed backend under the name "pixelmed". */
public final class PixelMedBackendProvider implements DicomBackendProvider {
    @Override
    public String name() {
        return PixelMedBackend.NAME;
    }

    @Override
    public DicomBackend create() {
        return new PixelMedBackend();
    }
}
