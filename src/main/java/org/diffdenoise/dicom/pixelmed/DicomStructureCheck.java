package org.diffdenoise.dicom.pixelmed;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Walks a DICOM file's element headers without reading values, before PixelMed parses it: PixelMed allocates an
 * element's declared length before reading it and parses nested sequences recursively, so a small hostile file can
 * make it allocate gigabytes or overflow the stack. This walk is iterative and allocates nothing per element; it
 * finds (1) a declared length larger than what is left of the file, (2) a file that ends inside an element, item or
 * sequence (truncated), (3) sequences nested deeper than {@link #MAX_SEQUENCE_DEPTH}. It stops after the top-level
 * Pixel Data, which is all PixelMed reads.
 *
 * <p>The byte reading and the inflation of deflated data sets are in {@link DicomByteCursor}. The rest stays here as
 * one state machine: the meta-group read, the byte-order and VR guesses and the element walk share the open-container
 * stack and the current encoding, so split apart they would pass that state back and forth.
 */
final class DicomStructureCheck {
    /** Deepest sequence nesting accepted; real SR content trees and functional groups stay far below this. */
    static final int MAX_SEQUENCE_DEPTH = 100;
    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    private static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
    private static final String DEFLATED = "1.2.840.10008.1.2.1.99";
    private static final long UNDEFINED = 0xFFFFFFFFL;
    /** A value missing at most this many bytes at the end of the file counts as cut off (truncated), not as corrupt. */
    private static final long CUT_SHORT_LIMIT = 1 << 20;

    /**
     * What the walk found.
     *
     * @param problem            null when the structure is sound, else why the file cannot be read in full
     * @param truncated          the file looks cut short: it ends inside an element header, item or sequence, or a
     *                           value misses at most 1 MiB (a length claiming far more than the file is corrupt)
     * @param safePrefix         bytes from the start of the file that may be parsed (the top-level elements before
     *                           the one holding the problem); the file size when there is no problem; 0 when no
     *                           prefix is safe (a problem in a deflated data set)
     * @param pixelDataReached   the top-level Pixel Data element's header was read (a problem after it lies in the
     *                           pixel data: the header before it is intact)
     * @param pixelDataLength    declared length of the top-level Pixel Data (-1: undefined, encapsulated; -2: none)
     * @param pixelFragments     number of fragments (items after the Basic Offset Table) of encapsulated Pixel Data
     */
    record Result(String problem, boolean truncated, long safePrefix, boolean pixelDataReached, long pixelDataLength,
                  int pixelFragments) {
        boolean sound() {
            return problem == null;
        }
    }

    private DicomStructureCheck() {
    }

    /** Reasons refer to this exception's message; it never escapes {@link #check(Path)}. */
    private static final class Damage extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean truncated;

        Damage(String message, boolean truncated) {
            super(message, null, false, false);
            this.truncated = truncated;
        }
    }

    /** Checks {@code file}; an I/O error reading it comes back as an exception, damage as a {@link Result#problem()}. */
    static Result check(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 65536)) {
            DicomByteCursor in = new DicomByteCursor(raw, size);
            return new Walk(in).run();
        }
    }

    /**
     * An open container: a sequence, an item, or encapsulated pixel data (items that are fragments): the image's, or
     * one inside an item (an icon image, whose fragments are not the image's).
     */
    private record Open(int kind, long end /* -1: undefined length */, boolean explicitVr) {
        static final int SEQUENCE = 0;
        static final int ITEM = 1;
        static final int FRAGMENTS = 2;
        static final int NESTED_FRAGMENTS = 3;
    }

    private static final class Walk {
        private final DicomByteCursor in;
        private boolean little = true;
        private boolean explicit = true;
        private final Deque<Open> open = new ArrayDeque<>();
        private int sequences;
        private long topLevelStart;
        private long pixelDataLength = -2;
        private int fragments;

        Walk(DicomByteCursor in) {
            this.in = in;
        }

        Result run() throws IOException {
            try {
                String ts = meta();
                return dataSet(ts);
            } catch (Damage d) {
                long prefix = in.inflated() ? 0 : topLevelStart;
                return new Result(d.getMessage(), d.truncated, prefix, pixelDataLength != -2, pixelDataLength, fragments);
            }
        }

        /** Skips the preamble and reads the File Meta group; returns its Transfer Syntax UID ("" when none). */
        private String meta() throws IOException, Damage {
            byte[] head = new byte[132];
            int n = in.peek(head, 132);
            if (n == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
                in.skip(132);
            }
            String ts = "";
            byte[] g = new byte[2];
            little = true;
            while (in.peek(g, 2) == 2 && ((g[0] & 0xFF) | (g[1] & 0xFF) << 8) == 0x0002) {
                explicit = looksExplicit();
                topLevelStart = in.pos();
                Header h = header();
                if (h.element == 0x0010 && h.length < 256) {
                    byte[] v = in.readValue((int) h.length);
                    if (v.length < h.length) throw truncated(h, h.length - v.length);
                    ts = new String(v, StandardCharsets.US_ASCII).replace("\0", "").trim();
                } else {
                    value(h);
                }
            }
            return ts;
        }

        private Result dataSet(String ts) throws IOException, Damage {
            little = !EXPLICIT_BE.equals(ts);
            explicit = !IMPLICIT_LE.equals(ts);
            if (DEFLATED.equals(ts)) {
                in.inflateRest();
            }
            if (ts.isEmpty()) {
                // no File Meta: guess the byte order from the first group (0008 expected), the VR from its bytes
                byte[] g = new byte[2];
                if (in.peek(g, 2) == 2) little = (g[0] & 0xFF) != 0 || (g[1] & 0xFF) == 0;
            }
            // as readers do: a data set that declares one VR encoding but uses the other is read as it is
            explicit = looksExplicit();
            boolean started = false;
            while (true) {
                while (!open.isEmpty() && open.peek().end >= 0 && in.pos() >= open.peek().end) close(open.pop());
                if (open.isEmpty()) {
                    topLevelStart = in.fileOffset();
                    if (started && pixelDataLength != -2) break;  // PixelMed stops after the top-level Pixel Data
                }
                started = true;
                int got = in.read(4);
                if (got == 0) {
                    if (open.isEmpty()) break;
                    throw new Damage("file ends inside a sequence or item (truncated)", true);
                }
                if (got < 4) throw new Damage("file ends inside an element header (truncated)", true);
                int group = u16(in.bytes(), 0);
                int element = u16(in.bytes(), 2);
                if (group == 0xFFFE) {
                    item(element);
                    continue;
                }
                boolean explicitHere = explicit && (open.isEmpty() || open.peek().explicitVr);
                Header h = rest(group, element, explicitHere);
                if (group == 0x7FE0 && element == 0x0010) {
                    if (open.isEmpty()) pixelDataLength = h.length == UNDEFINED ? -1 : h.length;
                    if (h.length == UNDEFINED) {
                        open.push(new Open(open.isEmpty() ? Open.FRAGMENTS : Open.NESTED_FRAGMENTS, -1, explicitHere));
                        continue;
                    }
                }
                value(h);
            }
            return new Result(null, false, in.inflated() ? 0 : in.pos(), pixelDataLength != -2, pixelDataLength, fragments);
        }

        private boolean looksExplicit() throws IOException {
            byte[] e = new byte[6];
            if (in.peek(e, 6) < 6) return explicit;
            return isUpper(e[4]) && isUpper(e[5]);
        }

        private void item(int element) throws IOException, Damage {
            if (in.read(4) < 4) throw new Damage("file ends inside an item header (truncated)", true);
            long length = u32(in.bytes(), 0);
            Open parent = open.peek();
            switch (element) {
                case 0xE000 -> {
                    if (parent != null && (parent.kind == Open.FRAGMENTS || parent.kind == Open.NESTED_FRAGMENTS)) {
                        if (length == UNDEFINED) throw new Damage("a pixel data fragment has undefined length", false);
                        if (parent.kind == Open.FRAGMENTS) fragments++;
                        skipValue(0x7FE0, 0x0010, length);
                    } else if (length == UNDEFINED) {
                        open.push(new Open(Open.ITEM, -1, parent == null || parent.explicitVr));
                    } else {
                        checkLength(0xFFFE, 0xE000, length);
                        open.push(new Open(Open.ITEM, in.pos() + length, parent == null || parent.explicitVr));
                    }
                }
                case 0xE00D -> {
                    if (parent != null && parent.kind == Open.ITEM && parent.end < 0) close(open.pop());
                }
                case 0xE0DD -> {
                    if (parent != null && parent.kind == Open.ITEM && parent.end < 0) close(open.pop());  // item delimiter missing
                    if (!open.isEmpty() && open.peek().kind != Open.ITEM && open.peek().end < 0) close(open.pop());
                }
                default -> skipValue(0xFFFE, element, length);
            }
        }

        private void close(Open o) {
            if (o.kind == Open.SEQUENCE) sequences--;
            if (o.kind == Open.FRAGMENTS) {
                // the first item is the Basic Offset Table, not a fragment
                fragments = Math.max(0, fragments - 1);
            }
        }

        private record Header(int group, int element, String vr, long length) {
        }

        private Header header() throws IOException, Damage {
            int got = in.read(4);
            if (got < 4) throw new Damage("file ends inside an element header (truncated)", true);
            return rest(u16(in.bytes(), 0), u16(in.bytes(), 2), explicit);
        }

        /** Reads VR and length after the tag. */
        private Header rest(int group, int element, boolean explicitVr) throws IOException, Damage {
            if (explicitVr) {
                byte[] peek = new byte[2];
                if (in.peek(peek, 2) == 2 && isUpper(peek[0]) && isUpper(peek[1])) {
                    if (in.read(4) < 4) throw new Damage("file ends inside an element header (truncated)", true);
                    byte[] b = in.bytes();
                    String vr = "" + (char) b[0] + (char) b[1];
                    if (longLength(vr)) {
                        if (in.read(4) < 4) throw new Damage("file ends inside an element header (truncated)", true);
                        return new Header(group, element, vr, u32(in.bytes(), 0));
                    }
                    return new Header(group, element, vr, little ? (b[2] & 0xFF) | (b[3] & 0xFF) << 8
                            : (b[2] & 0xFF) << 8 | (b[3] & 0xFF));
                }
                // not a VR: read this element as implicit, as PixelMed and pydicom tolerate
            }
            if (in.read(4) < 4) throw new Damage("file ends inside an element header (truncated)", true);
            return new Header(group, element, null, u32(in.bytes(), 0));
        }

        private void value(Header h) throws IOException, Damage {
            boolean parentExplicit = open.isEmpty() ? explicit : open.peek().explicitVr;
            if (h.length == UNDEFINED) {
                // undefined length: a sequence (SQ, UN holding implicit-VR items, or any tag in implicit VR)
                openSequence(h, -1, h.vr != null && !"UN".equals(h.vr) && parentExplicit);
                return;
            }
            checkLength(h.group, h.element, h.length);
            if ("SQ".equals(h.vr) || (h.vr == null && startsWithItem(h.length))) {
                openSequence(h, in.pos() + h.length, h.vr != null && parentExplicit);
                return;
            }
            skipValue(h.group, h.element, h.length);
        }

        private void openSequence(Header h, long end, boolean contentsExplicit) throws Damage {
            if (++sequences > MAX_SEQUENCE_DEPTH) {
                throw new Damage(String.format(Locale.ROOT, "sequences nested more than %d levels deep (at %s): nesting too"
                        + " deep to read", MAX_SEQUENCE_DEPTH, tag(h.group, h.element)), false);
            }
            open.push(new Open(Open.SEQUENCE, end, contentsExplicit));
        }

        /** An implicit-VR value that begins with an item tag is a sequence (implicit VR has no "SQ" to say so). */
        private boolean startsWithItem(long length) throws IOException {
            if (length < 8) return false;
            byte[] b = new byte[4];
            if (in.peek(b, 4) < 4) return false;
            return u16(b, 0) == 0xFFFE && u16(b, 2) == 0xE000;
        }

        private void checkLength(int group, int element, long length) throws Damage {
            long left = in.remaining();
            if (length > left) {
                // a file cut short lost part of a value; a claim far beyond the file is a corrupt or hostile length
                throw new Damage(String.format(Locale.ROOT, "element %s declares %d bytes but only %d remain in the file"
                        + " (truncated or corrupt)", tag(group, element), length, left), length - left <= CUT_SHORT_LIMIT);
            }
        }

        private void skipValue(int group, int element, long length) throws IOException, Damage {
            checkLength(group, element, length);
            if (!in.skip(length)) {
                throw new Damage(String.format(Locale.ROOT, "element %s declares %d bytes but the data ends first"
                        + " (truncated or corrupt)", tag(group, element), length), true);
            }
        }

        private Damage truncated(Header h, long missing) {
            return new Damage(String.format(Locale.ROOT, "element %s is cut off (%d bytes missing, truncated)",
                    tag(h.group, h.element), missing), true);
        }

        private int u16(byte[] b, int o) {
            return little ? (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 : (b[o] & 0xFF) << 8 | (b[o + 1] & 0xFF);
        }

        private long u32(byte[] b, int o) {
            long v = little ? (b[o] & 0xFFL) | (b[o + 1] & 0xFFL) << 8 | (b[o + 2] & 0xFFL) << 16 | (b[o + 3] & 0xFFL) << 24
                    : (b[o] & 0xFFL) << 24 | (b[o + 1] & 0xFFL) << 16 | (b[o + 2] & 0xFFL) << 8 | (b[o + 3] & 0xFFL);
            return v;
        }
    }

    private static boolean isUpper(byte b) {
        return b >= 'A' && b <= 'Z';
    }

    private static boolean longLength(String vr) {
        return switch (vr) {
            case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
            default -> false;
        };
    }

    static String tag(int group, int element) {
        return String.format(Locale.ROOT, "(%04X,%04X)", group, element);
    }
}
