package org.diffdenoise.dicom.pixelmed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a file's Number of Frames can be true for the file's size: a count no file of that size can hold (2^31-1
 * in a 5 KB file) is refused with that reason before it sizes any allocation.
 */
final class FrameCount {
    private static final Set<String> NATIVE = Set.of("1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2");
    private static final String DEFLATED = "1.2.840.10008.1.2.1.99";
    /** The most that deflate can shrink data (zlib's limit is about 1032:1). */
    private static final long DEFLATE_RATIO = 1032;
    /** Each frame of an encapsulated (compressed) file takes at least one 8-byte item header. */
    private static final long ITEM_HEADER = 8;

    private FrameCount() {
    }

    /** Why {@code frames} cannot be true for this file, or null when it can. */
    static String implausible(Path file, int frames, int rows, int columns, int samples, int bitsAllocated,
                              String transferSyntaxUid) {
        if (frames <= 1) return null;
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return null;  // the read that follows reports an unreadable file
        }
        long bytesPerFrame = (long) Math.max(1, rows) * Math.max(1, columns) * Math.max(1, samples)
                * Math.max(1, (bitsAllocated + 7) / 8);
        long max;
        String how;
        if (NATIVE.contains(transferSyntaxUid)) {
            max = size / bytesPerFrame;
            how = String.format(Locale.ROOT, "%d x %d pixels of %d byte(s) each", columns, rows, bytesPerFrame / ((long) Math.max(1, rows) * Math.max(1, columns)));
        } else if (DEFLATED.equals(transferSyntaxUid)) {
            max = size * DEFLATE_RATIO / bytesPerFrame;
            how = "deflated " + columns + " x " + rows + " pixels";
        } else {
            max = size / ITEM_HEADER;
            how = "a compressed frame needs at least " + ITEM_HEADER + " bytes";
        }
        if (frames <= max) return null;
        return String.format(Locale.ROOT, "Number of Frames %d is implausible for a file of %,d bytes (%s: at most %,d "
                + "frames fit); the header is damaged", frames, size, how, max);
    }
}
