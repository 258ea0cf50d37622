package org.diffdenoise.dicom.pixelmed;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

/** Opens DICOM files with PixelMed: header-only reads for scanning, full reads (stopping after Pixel Data) to decode. */
final class PixelMedReader {
    private static final int PIXEL_GROUP = 0x7fe0;

    /** A parsed data set, the transfer syntax it was read with, and what PixelMed complained about. */
    record Parsed(AttributeList list, String transferSyntaxUid, boolean hadMetaHeader, boolean reachedPixelData,
                  String problems) {
    }

    private PixelMedReader() {
    }

    /**
     * Cheap content check before PixelMed parses a file: a file without the "DICM" preamble is only tried when it
     * starts like a bare data set (a group 0002 or 0008 element), because parsing arbitrary text as DICOM can ask
     * for gigabyte-sized values. Returns null when worth parsing, else the skip reason.
     */
    static String sniff(Path file) {
        byte[] head = new byte[132];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
        if (n == 0) {
            return "not DICOM (empty file)";
        }
        if (n == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
            return null;
        }
        if (n >= 8) {
            int groupLe = (head[0] & 0xFF) | (head[1] & 0xFF) << 8;
            int groupBe = (head[0] & 0xFF) << 8 | (head[1] & 0xFF);
            if (groupLe == 0x0002 || groupLe == 0x0008 || groupBe == 0x0002 || groupBe == 0x0008) {
                return null;
            }
        }
        return "not DICOM (no DICM preamble and the data does not start with a DICOM group 0002/0008 element)";
    }

    /**
     * The transfer syntax of the data set from the File Meta header alone (PixelMed's guess for a file without
     * one), without parsing the data set: deciding how to decode costs no second header parse.
     */
    static String transferSyntax(Path file) throws IOException, com.pixelmed.dicom.DicomException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 8192);
             DicomInputStream in = new DicomInputStream(raw)) {
            AttributeList meta = new AttributeList();
            meta.read(in, (l, tag, offset) -> tag.getGroup() > 0x0002);
            String uid = Headers.string(meta, TagFromName.TransferSyntaxUID);
            if (!uid.isEmpty()) return uid;
            TransferSyntax ts = in.getTransferSyntaxToReadDataSet();
            return ts == null ? "" : ts.getUID();
        }
    }

    /** Reads everything before the Pixel Data group (cheap: pixel data is never read or decompressed). */
    static Parsed readHeader(Path file) throws IOException, com.pixelmed.dicom.DicomException {
        return read(file, false);
    }

    /** Reads up to and including Pixel Data (decompressing it), ignoring trailing padding after it. */
    static Parsed readWithPixels(Path file) throws IOException, com.pixelmed.dicom.DicomException {
        return read(file, true);
    }

    private static Parsed read(Path file, boolean withPixels) throws IOException, com.pixelmed.dicom.DicomException {
        AttributeList list = new AttributeList();
        boolean[] reached = {false};
        PixelMedLog.startCapture();
        String problems;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 65536);
             DicomInputStream in = new DicomInputStream(raw)) {
            list.read(in, (l, tag, offset) -> {
                if (tag.getGroup() == PIXEL_GROUP) {
                    reached[0] = true;
                }
                if (withPixels) {
                    // stop once Pixel Data is in: some files carry megabytes of zero padding after it
                    return l.get(TagFromName.PixelData) != null;
                }
                // (FFFE,xxxx) item tags inside sequences must not end the read; trailing padding (FFFC) may
                return tag.getGroup() == PIXEL_GROUP || tag.getGroup() == 0xfffc;
            });
            TransferSyntax ts = in.getTransferSyntaxToReadDataSet();
            String meta = Headers.string(list, TagFromName.TransferSyntaxUID);
            String tsUid = !meta.isEmpty() ? meta : ts == null ? "" : ts.getUID();
            problems = PixelMedLog.stopCapture();
            return new Parsed(list, tsUid, in.haveMetaHeader(), reached[0] || list.get(TagFromName.PixelData) != null,
                    problems);
        } finally {
            PixelMedLog.stopCapture();
        }
    }
}
