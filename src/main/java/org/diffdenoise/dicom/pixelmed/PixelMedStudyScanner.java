package org.diffdenoise.dicom.pixelmed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SOPClassDescriptions;
import com.pixelmed.dicom.TagFromName;

import org.diffdenoise.dicom.AtomicSeriesDirectory;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.dicom.SkippedFile;
import org.diffdenoise.dicom.SliceGeometry;
import org.diffdenoise.dicom.SliceOrder;
import org.diffdenoise.dicom.StudyScan;
import org.diffdenoise.dicom.TransferSyntaxNames;

/** Finds image series in a folder tree from headers only, and says why every other file was skipped. */
final class PixelMedStudyScanner {
    private static final String DICOMDIR_SOP_CLASS = "1.2.840.10008.1.3.10";
    /** Image-bearing SOP classes that are not images to denoise (labels, dose grids, parametric values). */
    private static final Set<String> UNSUPPORTED_SOP_CLASSES = Set.of(
            "1.2.840.10008.5.1.4.1.1.66.4",   // Segmentation
            "1.2.840.10008.5.1.4.1.1.66.7",   // Label Map Segmentation
            "1.2.840.10008.5.1.4.1.1.481.2",  // RT Dose
            "1.2.840.10008.5.1.4.1.1.30");    // Parametric Map

    private PixelMedStudyScanner() {
    }

    /** Either a header for an image file or the reason it was skipped. */
    private record Outcome(FileHeader header, SkippedFile skipped) {
    }

    static StudyScan scan(Path folder) throws IOException {
        Path root = folder.toAbsolutePath().normalize();
        List<Path> files;
        if (Files.isRegularFile(root)) {
            files = List.of(root);
        } else if (!Files.isDirectory(root)) {
            throw new IOException(root + ": no such file or folder");
        } else {
            try (Stream<Path> s = Files.walk(root)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
        }
        Map<String, List<FileHeader>> bySeries = new LinkedHashMap<>();
        Map<String, FileHeader> seenInstances = new HashMap<>();
        List<SkippedFile> skipped = new ArrayList<>();
        files = withoutWorkFolders(root, files, skipped);
        for (Path f : files) {
            Outcome o = examine(f);
            if (o.skipped() != null) {
                skipped.add(o.skipped());
                continue;
            }
            // the same instance twice (e.g. copies in two transfer syntaxes) would duplicate slices; of two copies
            // the one this backend can decode is kept
            FileHeader h = o.header();
            String sop = h.geometry().sopInstanceUid();
            FileHeader earlier = sop.isEmpty() ? null : seenInstances.putIfAbsent(sop, h);
            if (earlier != null) {
                if (!decodable(earlier) && decodable(h)) {
                    List<FileHeader> list = bySeries.get(earlier.seriesInstanceUid());
                    list.remove(earlier);
                    if (list.isEmpty()) bySeries.remove(earlier.seriesInstanceUid());
                    seenInstances.put(sop, h);
                    skipped.add(new SkippedFile(earlier.file(), "duplicate SOP Instance UID " + sop + " (same image as "
                            + f + ", whose transfer syntax can be decoded)"));
                } else {
                    skipped.add(new SkippedFile(f, "duplicate SOP Instance UID " + sop + " (same image as " + earlier.file() + ")"));
                    continue;
                }
            }
            bySeries.computeIfAbsent(h.seriesInstanceUid(), k -> new ArrayList<>()).add(h);
        }
        List<SeriesRef> series = new ArrayList<>();
        for (List<FileHeader> headers : bySeries.values()) {
            series.add(seriesRef(headers));
        }
        return new StudyScan(root, series, skipped);
    }

    /** The files outside the temporary folders of DiffDenoise runs; each such folder is listed once as skipped. */
    private static List<Path> withoutWorkFolders(Path root, List<Path> files, List<SkippedFile> skipped) {
        List<Path> kept = new ArrayList<>();
        Set<Path> work = new java.util.TreeSet<>();
        for (Path f : files) {
            Path w = AtomicSeriesDirectory.workFolderOf(root, f);
            if (w == null) kept.add(f);
            else work.add(w);
        }
        for (Path w : work)
            skipped.add(new SkippedFile(w, "temporary folder of an unfinished DiffDenoise run, not a series (the next run "
                    + "into this folder removes it once that run has ended)"));
        return kept;
    }

    private static Outcome examine(Path f) {
        String notDicom = PixelMedReader.sniff(f);
        if (notDicom != null) {
            return skip(f, notDicom);
        }
        PixelMedReader.Parsed p;
        try {
            p = PixelMedReader.readHeader(f);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Not a DICOM file")) {
                return skip(f, "not DICOM (" + m + ")");
            }
            return skip(f, "unreadable: " + m);
        } catch (com.pixelmed.dicom.DicomException | RuntimeException e) {
            return skip(f, "unreadable: " + e.getMessage());
        }
        AttributeList l = p.list();
        String mediaClass = Headers.string(l, TagFromName.MediaStorageSOPClassUID);
        String sopClass = Headers.string(l, TagFromName.SOPClassUID);
        if (DICOMDIR_SOP_CLASS.equals(mediaClass) || l.get(TagFromName.DirectoryRecordSequence) != null) {
            return skip(f, "DICOMDIR (media directory, not an image)");
        }
        boolean hasDataSet = !sopClass.isEmpty() || l.get(TagFromName.Rows) != null || l.get(TagFromName.PatientID) != null
                || l.get(TagFromName.StudyInstanceUID) != null;
        if (!hasDataSet) {
            String why = p.problems().isEmpty() ? "" : ": " + p.problems();
            if (hasDataElements(l)) {
                return skip(f, "not an image: the data set has no SOP Class UID, Rows, Patient ID or Study Instance UID" + why);
            }
            return skip(f, p.hadMetaHeader() ? "unreadable: data set could not be parsed" + why
                    : "unreadable: no DICOM File Meta header and the data set could not be parsed" + why);
        }
        if (!p.reachedPixelData()) {
            return skip(f, "no pixel data (" + describeSopClass(sopClass) + ")");
        }
        if (l.get(TagFromName.PixelData) == null && l.get(TagFromName.Rows) == null) {
            return skip(f, "no pixel data (" + describeSopClass(sopClass) + ")");
        }
        if (UNSUPPORTED_SOP_CLASSES.contains(sopClass) || (!sopClass.isEmpty() && !SOPClass.isImageStorage(sopClass))) {
            return skip(f, "unsupported SOP class " + describeSopClass(sopClass) + ": not an image to denoise");
        }
        String seriesUid = Headers.string(l, TagFromName.SeriesInstanceUID);
        if (seriesUid.isEmpty()) {
            return skip(f, "unreadable: no Series Instance UID");
        }
        SliceGeometry g = Headers.geometry(l, f, 0);
        return new Outcome(new FileHeader(f, sopClass, seriesUid, Headers.string(l, TagFromName.Modality),
                Headers.string(l, TagFromName.SeriesDescription), Headers.string(l, TagFromName.SeriesNumber),
                p.transferSyntaxUid(), Headers.integer(l, TagFromName.Rows, 0), Headers.integer(l, TagFromName.Columns, 0),
                Headers.frames(l), Headers.string(l, TagFromName.PhotometricInterpretation),
                Headers.integer(l, TagFromName.SamplesPerPixel, 1), Headers.integer(l, TagFromName.BitsAllocated, 0), g), null);
    }

    private static SeriesRef seriesRef(List<FileHeader> headers) {
        List<SliceGeometry> geometry = headers.stream().map(FileHeader::geometry).toList();
        int[] order = SliceOrder.order(geometry);
        List<FileHeader> sorted = new ArrayList<>();
        for (int i : order) {
            sorted.add(headers.get(i));
        }
        FileHeader first = sorted.get(0);
        // saturating: an implausible Number of Frames (reported by unsupportedReason) must not wrap around
        int slices = (int) Math.min(Integer.MAX_VALUE, sorted.stream().mapToLong(FileHeader::frames).sum());
        return new SeriesRef(first.seriesInstanceUid(), first.modality(), first.seriesDescription(), first.seriesNumber(),
                first.transferSyntaxUid(), TransferSyntaxNames.name(first.transferSyntaxUid()), first.rows(),
                first.columns(), slices, sorted.stream().map(FileHeader::file).toList(), unsupportedReason(sorted));
    }

    private static boolean decodable(FileHeader h) {
        return PixelMedBackend.DECODABLE_TRANSFER_SYNTAXES.contains(h.transferSyntaxUid())
                || ExternalDecoder.tool(h.transferSyntaxUid()) != null;
    }

    /** Why the series cannot be decoded by this backend, or null. */
    private static String unsupportedReason(List<FileHeader> headers) {
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

    static String describeSopClass(String uid) {
        if (uid == null || uid.isEmpty()) {
            return "no SOP Class UID";
        }
        String d = SOPClassDescriptions.getDescriptionFromUID(uid);
        return (d == null || d.isEmpty() ? "SOP class" : d) + " " + uid;
    }

    /** Whether anything beyond the File Meta group (0002) was read. */
    private static boolean hasDataElements(AttributeList l) {
        for (com.pixelmed.dicom.AttributeTag t : l.keySet()) {
            if (t.getGroup() != 0x0002) return true;
        }
        return false;
    }

    private static Outcome skip(Path f, String reason) {
        return new Outcome(null, new SkippedFile(f, reason));
    }
}
