package org.diffdenoise.dicom.pixelmed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.TagFromName;

import org.diffdenoise.dicom.DicomException;
import org.diffdenoise.dicom.SeriesGaps;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.dicom.SkippedFile;

/**
 * Groups scanned image files into series and decides, from evidence, whether each is whole: copies of one SOP
 * Instance are compared by their decoded pixels before one is dropped as a duplicate (different pixels under one UID
 * fail the series, naming both files), damaged member files and gaps (see {@link SeriesGaps}) make a series
 * incomplete, and an image file cut short before its series could be read marks the series of the same SOP class
 * in its folder (a corrupt or hostile file, e.g. one claiming gigabytes or nested too deep, does not).
 */
final class SeriesAssembly {
    private final List<SeriesRef> series;

    private SeriesAssembly(List<SeriesRef> series) {
        this.series = series;
    }

    List<SeriesRef> series() {
        return series;
    }

    /** How two files with one SOP Instance UID compare. */
    enum Copies { IDENTICAL, DIFFERENT, NOT_COMPARABLE }

    /**
     * @param images       readable image headers
     * @param damaged      headers of damaged image files whose series was read, with the damage (already in
     *                     {@code skipped})
     * @param unattributed damaged image files whose series is unknown (already in {@code skipped})
     * @param skipped      receives the duplicates that are dropped
     */
    static SeriesAssembly assemble(List<FileHeader> images, Map<FileHeader, String> damaged,
                                   List<PixelMedStudyScanner.DamagedImage> unattributed, List<SkippedFile> skipped) {
        Map<String, List<FileHeader>> bySeries = new LinkedHashMap<>();
        Map<String, Set<String>> conflicts = new HashMap<>();
        Map<String, FileHeader> seenInstances = new HashMap<>();
        Map<Path, Object> decoded = new HashMap<>();  // the first copy of an instance is compared with each later one
        for (FileHeader h : images) {
            String sop = h.geometry().sopInstanceUid();
            FileHeader earlier = sop.isEmpty() ? null : seenInstances.putIfAbsent(sop, h);
            if (earlier == null) {
                bySeries.computeIfAbsent(h.seriesInstanceUid(), k -> new ArrayList<>()).add(h);
                continue;
            }
            boolean sameSeries = earlier.seriesInstanceUid().equals(h.seriesInstanceUid());
            Copies c = compare(earlier, h, decoded);
            if (c == Copies.IDENTICAL && sameSeries) {
                skipped.add(new SkippedFile(h.file(), "duplicate: the same image as " + earlier.file()
                        + " (SOP Instance UID " + sop + ", identical pixels)"));
                continue;
            }
            if (c == Copies.NOT_COMPARABLE && sameSeries && SeriesSupport.decodable(earlier) != SeriesSupport.decodable(h)) {
                // two encodings of one instance, one of which this backend cannot decode: the decodable one is used
                FileHeader keep = SeriesSupport.decodable(h) ? h : earlier;
                FileHeader drop = keep == h ? earlier : h;
                if (keep == h) {
                    List<FileHeader> list = bySeries.get(h.seriesInstanceUid());
                    list.set(list.indexOf(earlier), h);
                    seenInstances.put(sop, h);
                }
                skipped.add(new SkippedFile(drop.file(), "duplicate SOP Instance UID " + sop + " of " + keep.file()
                        + ", whose transfer syntax can be decoded (this one's cannot, so the pixels were not compared)"));
                continue;
            }
            bySeries.computeIfAbsent(h.seriesInstanceUid(), k -> new ArrayList<>()).add(h);
            if (c == Copies.IDENTICAL) {
                continue;  // one instance filed in two series: each series is whole on its own
            }
            String why = c == Copies.DIFFERENT ? "different pixels" : "pixels that could not be compared";
            String text = "SOP Instance UID " + sop + " is used by two images with " + why + ": " + earlier.file()
                    + (sameSeries ? "" : " (series " + earlier.seriesInstanceUid() + ")") + " and " + h.file()
                    + (sameSeries ? "" : " (series " + h.seriesInstanceUid() + ")")
                    + "; neither can be trusted to be the instance its UID names";
            conflicts.computeIfAbsent(h.seriesInstanceUid(), k -> new LinkedHashSet<>()).add(text);
            conflicts.computeIfAbsent(earlier.seriesInstanceUid(), k -> new LinkedHashSet<>()).add(text);
        }

        Map<String, List<FileHeader>> damagedBySeries = new LinkedHashMap<>();
        for (FileHeader d : damaged.keySet()) {
            damagedBySeries.computeIfAbsent(d.seriesInstanceUid(), k -> new ArrayList<>()).add(d);
        }
        List<SeriesRef> out = new ArrayList<>();
        for (Map.Entry<String, List<FileHeader>> e : bySeries.entrySet()) {
            List<FileHeader> headers = e.getValue();
            List<String> incomplete = new ArrayList<>();
            List<FileHeader> bad = damagedBySeries.remove(e.getKey());
            if (bad != null) {
                incomplete.add(bad.size() + " file(s) of the series are damaged and were not read: " + named(bad, damaged));
            }
            for (PixelMedStudyScanner.DamagedImage u : unattributed) {
                if (sameFolderAndClass(u, headers)) {
                    incomplete.add("the damaged image file " + u.file() + " in the same folder could not be read far"
                            + " enough to tell its series (" + u.reason() + ")");
                }
            }
            if (headers.stream().allMatch(h -> h.frames() <= 1)) {
                String gap = SeriesGaps.find(headers.stream().map(FileHeader::geometry).toList());
                if (gap != null) incomplete.add(gap);
            }
            SeriesRef ref = SeriesSupport.seriesRef(headers, incomplete.isEmpty() ? null : String.join("; ", incomplete));
            Set<String> conflict = conflicts.get(e.getKey());
            if (conflict != null) {
                String c = firstOf(conflict, 2, "SOP Instance UID conflict(s)");
                ref = withUnsupportedReason(ref, ref.unsupportedReason() == null ? c : ref.unsupportedReason() + "; " + c);
            }
            out.add(ref);
        }
        // a series of which every image file is damaged: a series that fails, not one that vanishes
        for (List<FileHeader> bad : damagedBySeries.values()) {
            SeriesRef ref = SeriesSupport.seriesRef(bad, null);
            out.add(withUnsupportedReason(ref, "no readable image: every file of the series is damaged: " + named(bad, damaged)));
        }
        return new SeriesAssembly(out);
    }

    /** "file (damage), ..." for the first three files, then how many more. */
    private static String named(List<FileHeader> bad, Map<FileHeader, String> damage) {
        List<String> l = new ArrayList<>();
        for (FileHeader b : bad.subList(0, Math.min(3, bad.size()))) l.add(b.file() + " (" + damage.get(b) + ")");
        return String.join(", ", l) + (bad.size() > 3 ? " and " + (bad.size() - 3) + " more" : "");
    }

    /** The first {@code n} reasons and how many more. */
    private static String firstOf(Set<String> reasons, int n, String what) {
        List<String> l = new ArrayList<>(reasons);
        String head = String.join("; ", l.subList(0, Math.min(n, l.size())));
        return l.size() <= n ? head : head + "; and " + (l.size() - n) + " more " + what;
    }

    private static SeriesRef withUnsupportedReason(SeriesRef r, String reason) {
        return new SeriesRef(r.seriesInstanceUid(), r.modality(), r.seriesDescription(), r.seriesNumber(),
                r.transferSyntaxUid(), r.transferSyntaxName(), r.rows(), r.columns(), r.slices(), r.files(), reason,
                r.incompleteReason(), r.mosaic());
    }

    private static boolean sameFolderAndClass(PixelMedStudyScanner.DamagedImage u, List<FileHeader> headers) {
        Path folder = u.file().getParent();
        for (FileHeader h : headers) {
            if (Objects.equals(h.file().getParent(), folder)
                    && (u.sopClassUid().isEmpty() || u.sopClassUid().equals(h.sopClassUid()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Compares two files' decoded pixel values (two encodings of one image are identical; a lossy copy or another
     * image is not). Only runs when two files share a SOP Instance UID, which is rare.
     */
    static Copies compare(FileHeader a, FileHeader b, Map<Path, Object> decoded) {
        if (a.rows() != b.rows() || a.columns() != b.columns() || a.frames() != b.frames()
                || a.samplesPerPixel() != b.samplesPerPixel() || a.bitsAllocated() != b.bitsAllocated()) {
            return Copies.DIFFERENT;
        }
        if (!SeriesSupport.decodable(a) || !SeriesSupport.decodable(b)) {
            return Copies.NOT_COMPARABLE;
        }
        Object pa = decoded.computeIfAbsent(a.file(), f -> pixels(f, a.bitsAllocated()));
        if (pa == null) return Copies.NOT_COMPARABLE;
        Object pb = pixels(b.file(), b.bitsAllocated());
        if (pb == null) return Copies.NOT_COMPARABLE;
        // values past the image (padding to an even length, trailing bytes) are not part of it
        long n = (long) Math.max(1, a.frames()) * a.rows() * a.columns() * Math.max(1, a.samplesPerPixel());
        boolean same;
        if (pa instanceof short[] sa && pb instanceof short[] sb) {
            int m = (int) Math.min(n, Math.min(sa.length, sb.length));
            same = (m == n || sa.length == sb.length) && Arrays.equals(sa, 0, m, sb, 0, m);
        } else if (pa instanceof byte[] ba && pb instanceof byte[] bb) {
            int m = (int) Math.min(n, Math.min(ba.length, bb.length));
            same = (m == n || ba.length == bb.length) && Arrays.equals(ba, 0, m, bb, 0, m);
        } else {
            same = false;
        }
        return same ? Copies.IDENTICAL : Copies.DIFFERENT;
    }

    /** Decoded stored values (short[] or byte[]), or null when the file cannot be decoded. */
    private static Object pixels(Path f, int bitsAllocated) {
        try {
            Attribute pd = PixelMedSeriesLoader.readDecoded(f).parsed().list().get(TagFromName.PixelData);
            if (pd == null) return null;
            return bitsAllocated > 8 ? pd.getShortValues() : pd.getByteValues();
        } catch (DicomException | com.pixelmed.dicom.DicomException | RuntimeException e) {
            return null;
        }
    }
}
