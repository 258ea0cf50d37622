package org.diffdenoise.dicom.pixelmed;

import java.nio.file.Path;

import org.diffdenoise.dicom.MosaicLayout;
import org.diffdenoise.dicom.SliceGeometry;

/**
 * What a scan learns from one image file's header (everything before Pixel Data); {@code mosaic}: how a Siemens mosaic
 * tiles its slices, or null (not a mosaic, or a count that does not tile it, which the loader reports).
 */
record FileHeader(Path file, String sopClassUid, String seriesInstanceUid, String modality, String seriesDescription,
                  String seriesNumber, String transferSyntaxUid, int rows, int columns, int frames,
                  String photometric, int samplesPerPixel, int bitsAllocated, SliceGeometry geometry, MosaicLayout mosaic) {
}
