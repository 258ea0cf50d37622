package org.diffdenoise.dicom.pixelmed;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Sequential reader for {@link DicomStructureCheck}: knows its position and how much of the data is left, and can
 * continue in the raw-deflated rest of a file (then the size left is unknown).
 */
final class DicomByteCursor {
    private InputStream in;
    private long pos;
    private long size;          // -1: unknown (deflated stream)
    private long base;          // offset of the deflated stream's start in the file
    private final byte[] buf = new byte[8];

    DicomByteCursor(InputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    long pos() {
        return pos;
    }

    /** Bytes left, or Long.MAX_VALUE when unknown. */
    long remaining() {
        return size < 0 ? Long.MAX_VALUE : size - pos;
    }

    /** Reads n (<= 8) bytes; returns how many were read before the end. */
    int read(int n) throws IOException {
        int got = in.readNBytes(buf, 0, n);
        pos += got;
        return got;
    }

    byte[] bytes() {
        return buf;
    }

    int peek(byte[] into, int n) throws IOException {
        in.mark(n);
        int got = in.readNBytes(into, 0, n);
        in.reset();
        return got;
    }

    /** Skips n bytes; false when the data ends first. */
    boolean skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    pos += n - left;
                    return false;
                }
                s = 1;
            }
            left -= s;
        }
        pos += n;
        return true;
    }

    byte[] readValue(int n) throws IOException {
        byte[] v = in.readNBytes(n);
        pos += v.length;
        return v;
    }

    /** Continues in the raw-deflated remainder of the file (Deflated Explicit VR Little Endian). */
    void inflateRest() {
        base = pos;
        in = new BufferedInputStream(new InflaterInputStream(in, new Inflater(true), 8192), 8192);
        size = -1;
    }

    boolean inflated() {
        return size < 0;
    }

    long fileOffset() {
        return inflated() ? base : pos;
    }
}
