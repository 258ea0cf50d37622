package org.diffdenoise.pipeline;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.diffdenoise.dicom.DicomSeries;

/**
 * Whether the output's file system can take a derived series at all, decided before it is denoised: the pixel data
 * alone (the source's stored encoding, plus 16 bits per pixel for an uncertainty series) is a lower bound of what is
 * written, so a disk with less free than that would refuse it after the denoising; in a batch on a full disk every
 * series then fails at once instead of after its denoising.
 */
final class OutputSpace {
    private OutputSpace() {
    }

    /** Bytes of pixel data the derived series (and the uncertainty series, when written) hold. */
    static long pixelBytes(DicomSeries source, boolean withUncertainty) {
        long plane = source.pixels().dimension(0) * source.pixels().dimension(1);
        long bytes = 0;
        for (int z = 0; z < source.sliceCount(); z++) bytes += plane * ((source.encoding(z).bitsAllocated() + 7) / 8);
        return bytes + (withUncertainty ? plane * 2L * source.sliceCount() : 0);
    }

    /** Why {@code outputRoot}'s file system cannot take {@code needed} bytes, or null when it may (or cannot be asked). */
    static String shortage(Path outputRoot, long needed) {
        Path p = StudyFolders.nearestExisting(outputRoot);
        if (p == null) return null;
        try {
            FileStore store = Files.getFileStore(p);
            if (store.getTotalSpace() <= 0) return null; // reports no sizes at all (some FUSE mounts): not a full disk
            long free = store.getUsableSpace();
            if (free >= needed) return null;
            return String.format(Locale.ROOT, "%s: not enough space for the derived series: %s free, its pixel data alone needs %s;"
                    + " nothing written", outputRoot, size(free), size(needed));
        } catch (IOException | RuntimeException e) {
            return null; // the write itself will tell
        }
    }

    private static String size(long bytes) {
        return bytes >= 10L << 20 ? String.format(Locale.ROOT, "%d MB", bytes >> 20) : String.format(Locale.ROOT, "%d kB", bytes >> 10);
    }
}
