package org.diffdenoise.dicom;

import java.nio.file.Path;
import java.util.List;

/**
 * One image series found by a scan, described from its headers only.
 *
 * @param slices            number of 2-D images (frames of multi-frame files count one each)
 * @param files             the series' files, in slice order
 * @param unsupportedReason null when the series can be decoded, else why it cannot (e.g. its transfer syntax)
 */
public record SeriesRef(String seriesInstanceUid, String modality, String seriesDescription, String seriesNumber,
                        String transferSyntaxUid, String transferSyntaxName, int rows, int columns, int slices,
                        List<Path> files, String unsupportedReason) {
    public SeriesRef {
        files = List.copyOf(files);
    }

    /** True when {@link #unsupportedReason()} is null. */
    public boolean decodable() {
        return unsupportedReason == null;
    }

    /** A one-line description for logs and dialogs. */
    public String label() {
        return String.format("%s %s \"%s\" (%d x %d x %d, %s)", modality, seriesNumber, seriesDescription,
                columns, rows, slices, transferSyntaxName);
    }
}
