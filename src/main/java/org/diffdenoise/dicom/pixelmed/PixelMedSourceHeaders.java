package org.diffdenoise.dicom.pixelmed;

import java.nio.file.Path;
import java.util.List;

import com.pixelmed.dicom.AttributeList;

import org.diffdenoise.dicom.SourceHeaders;

/**
 * The source headers (without pixel data) of each file of a loaded series, kept for the derived-series writer.
 * {@code perSlice.get(i)} is the header of the file holding slice i (shared by the frames of a multi-frame file).
 */
final class PixelMedSourceHeaders implements SourceHeaders {
    /** One source file's header and transfer syntax. */
    record SourceFile(Path file, AttributeList header, String transferSyntaxUid) {
    }

    private final List<SourceFile> perSlice;

    PixelMedSourceHeaders(List<SourceFile> perSlice) {
        this.perSlice = List.copyOf(perSlice);
    }

    List<SourceFile> perSlice() {
        return perSlice;
    }

    @Override
    public String backendName() {
        return PixelMedBackend.NAME;
    }
}
