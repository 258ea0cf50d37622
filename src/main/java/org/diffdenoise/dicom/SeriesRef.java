package org.diffdenoise.dicom;

import java.nio.file.Path;
import java.util.List;

/**
 * One image series found by a scan, described from its headers only.
 *
 * @param slices            number of 2-D images (frames of multi-frame files count one each)
 * @param files             the series' files, in slice order
 * @param unsupportedReason null when the series can be decoded, else why it cannot (e.g. its transfer syntax, or
 *                          two different images with one SOP Instance UID)
 * @param incompleteReason  null when nothing says the series is incomplete, else the evidence that images are missing
 *                          or unreadable (a damaged member file, a missing position in an evenly spaced stack, a hole
 *                          in the Instance Numbers), naming the files; such a series is not denoised unless allowed
 * @param mosaic            how its first image tiles its slices when it is a Siemens mosaic, else null
 */
public record SeriesRef(String seriesInstanceUid, String modality, String seriesDescription, String seriesNumber,
                        String transferSyntaxUid, String transferSyntaxName, int rows, int columns, int slices,
                        List<Path> files, String unsupportedReason, String incompleteReason, MosaicLayout mosaic) {
    public SeriesRef {
        files = List.copyOf(files);
    }

    /** True when {@link #unsupportedReason()} is null. */
    public boolean decodable() {
        return unsupportedReason == null;
    }

    /** True when {@link #incompleteReason()} is null. */
    public boolean complete() {
        return incompleteReason == null;
    }

    /** A one-line description for logs and dialogs. */
    public String label() {
        return String.format("%s %s \"%s\" (%d x %d x %d, %s%s)", modality, seriesNumber, seriesDescription,
                columns, rows, slices, transferSyntaxName, mosaic == null ? "" : "; Siemens mosaic, " + mosaic.describe());
    }
}
