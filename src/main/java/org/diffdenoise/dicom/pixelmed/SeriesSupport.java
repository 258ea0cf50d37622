package org.diffdenoise.dicom.pixelmed;

import java.util.ArrayList;
import java.util.List;

import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.dicom.SliceGeometry;
import org.diffdenoise.dicom.SliceOrder;
import org.diffdenoise.dicom.TransferSyntaxNames;

/** Whether an assembled series can be decoded by this backend: its slice-ordered {@link SeriesRef} and, if not, why. */
final class SeriesSupport {

    private SeriesSupport() {
    }

    /** The series of {@code headers}, slice-ordered, with the reason it cannot be decoded (or null). */
    static SeriesRef seriesRef(List<FileHeader> headers, String incompleteReason) {
        List<SliceGeometry> geometry = headers.stream().map(FileHeader::geometry).toList();
        int[] order = SliceOrder.order(geometry);
        List<FileHeader> sorted = new ArrayList<>();
        for (int i : order) {
            sorted.add(headers.get(i));
        }
        FileHeader first = sorted.get(0);
        // a damaged header may claim 2^31-1 frames: the sum must not wrap around
        int slices = (int) Math.min(Integer.MAX_VALUE, sorted.stream().mapToLong(FileHeader::frames).sum());
        return new SeriesRef(first.seriesInstanceUid(), first.modality(), first.seriesDescription(), first.seriesNumber(),
                first.transferSyntaxUid(), TransferSyntaxNames.name(first.transferSyntaxUid()), first.rows(),
                first.columns(), slices, sorted.stream().map(FileHeader::file).toList(), unsupportedReason(sorted), incompleteReason,
                first.mosaic());
    }

    /** Whether this backend (PixelMed or an external dcmtk decoder) decodes the file's transfer syntax. */
    static boolean decodable(FileHeader h) {
        return PixelMedBackend.DECODABLE_TRANSFER_SYNTAXES.contains(h.transferSyntaxUid())
                || ExternalDecoder.tool(h.transferSyntaxUid()) != null;
    }

    /** Why the series cannot be decoded by this backend, or null. */
    static String unsupportedReason(List<FileHeader> headers) {
        FileHeader first = headers.get(0);
        for (FileHeader h : headers) {
            String frames = FrameCount.implausible(h.file(), h.frames(), h.rows(), h.columns(), h.samplesPerPixel(),
                    h.bitsAllocated(), h.transferSyntaxUid());
            if (frames != null) return frames + (headers.size() > 1 ? " (" + h.file().getFileName() + ")" : "");
        }
        for (FileHeader h : headers) {
            if (!decodable(h)) {
                String hint = ExternalDecoder.hint(h.transferSyntaxUid());
                return "transfer syntax " + TransferSyntaxNames.describe(h.transferSyntaxUid()) + " is not supported"
                        + (headers.size() > 1 ? " (" + h.file().getFileName() + ")" : "")
                        + (hint == null ? "" : ": " + hint);
            }
        }
        for (FileHeader h : headers) {
            if (h.samplesPerPixel() != 1 || !(h.photometric().equals("MONOCHROME1") || h.photometric().equals("MONOCHROME2"))) {
                return "color image (Photometric Interpretation " + h.photometric() + ", " + h.samplesPerPixel()
                        + " samples per pixel) is not supported: DiffDenoise denoises grayscale images";
            }
            if (h.bitsAllocated() != 8 && h.bitsAllocated() != 16) {
                return "Bits Allocated " + h.bitsAllocated() + " is not supported (8 or 16 expected)";
            }
            if (h.rows() != first.rows() || h.columns() != first.columns()) {
                return "slices differ in size (" + first.columns() + "x" + first.rows() + " in " + first.file().getFileName()
                        + ", " + h.columns() + "x" + h.rows() + " in " + h.file().getFileName() + ")";
            }
            if (h.rows() <= 0 || h.columns() <= 0) {
                return "image has no Rows/Columns (" + h.file().getFileName() + ")";
            }
        }
        return null;
    }
}
