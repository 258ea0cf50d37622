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

    /**
     * A parsed data set, the transfer syntax it was read with, and what PixelMed complained about.
     *
     * @param damage   null for a sound file; else why only the elements before the damage were read (truncated,
     *                 a length larger than the file, sequences nested too deep), see {@link DicomStructureCheck}
     * @param structure what the structure check found (Pixel Data length, fragments)
     */
    record Parsed(AttributeList list, String transferSyntaxUid, boolean hadMetaHeader, boolean reachedPixelData,
                  String problems, String damage, DicomStructureCheck.Result structure) {
    }

    /** A file whose structure is damaged so that reading it in full could exhaust memory or the stack, or fail. */
    static final class DamagedFileException extends IOException {
        private static final long serialVersionUID = 1L;
        private final boolean truncated;

        DamagedFileException(String reason, boolean truncated) {
            super(reason);
            this.truncated = truncated;
        }

        /** The file ends too early (rather than claiming impossible lengths or nesting). */
        boolean truncated() {
            return truncated;
        }
    }

    /** Checks the file's structure first: every read goes through here, so PixelMed never sees a hostile file. */
    static DicomStructureCheck.Result checkStructure(Path file) throws IOException {
        return DicomStructureCheck.check(file);
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
        DicomStructureCheck.Result s = checkStructure(file);
        if (!s.sound()) throw new DamagedFileException(s.problem(), s.truncated());
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

    /**
     * Reads everything before the Pixel Data group (cheap: pixel data is never read or decompressed). Of a damaged
     * file only the top-level elements before the damage are read, and {@link Parsed#damage()} says why.
     */
    static Parsed readHeader(Path file) throws IOException, com.pixelmed.dicom.DicomException {
        return read(file, false);
    }

    /** Reads up to and including Pixel Data (decompressing it), ignoring trailing padding after it. */
    static Parsed readWithPixels(Path file) throws IOException, com.pixelmed.dicom.DicomException {
        return read(file, true);
    }

    private static Parsed read(Path file, boolean withPixels) throws IOException, com.pixelmed.dicom.DicomException {
        DicomStructureCheck.Result structure = checkStructure(file);
        if (!structure.sound() && (withPixels || structure.safePrefix() == 0)) {
            throw new DamagedFileException(structure.problem(), structure.truncated());
        }
        long limit = structure.sound() ? Long.MAX_VALUE : structure.safePrefix();
        AttributeList list = new AttributeList();
        boolean[] reached = {false};
        PixelMedLog.startCapture();
        String problems;
        try (InputStream raw = new BufferedInputStream(prefix(Files.newInputStream(file), limit), 65536);
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
            return new Parsed(list, tsUid, in.haveMetaHeader(), reached[0] || structure.pixelDataReached()
                    || list.get(TagFromName.PixelData) != null, problems, structure.problem(), structure);
        } finally {
            PixelMedLog.stopCapture();
        }
    }

    /** The first {@code limit} bytes of {@code in}: PixelMed then ends its read at the last intact element. */
    private static InputStream prefix(InputStream in, long limit) {
        if (limit == Long.MAX_VALUE) return in;
        return new java.io.FilterInputStream(in) {
            private long left = limit;

            @Override
            public int read() throws IOException {
                if (left <= 0) return -1;
                int b = super.read();
                if (b >= 0) left--;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) return -1;
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) left -= n;
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long s = super.skip(Math.min(n, left));
                left -= s;
                return s;
            }

            @Override
            public int available() throws IOException {
                return (int) Math.min(super.available(), left);
            }

            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }
}
