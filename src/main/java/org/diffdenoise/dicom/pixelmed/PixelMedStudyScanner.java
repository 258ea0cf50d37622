package org.diffdenoise.dicom.pixelmed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SOPClassDescriptions;
import com.pixelmed.dicom.TagFromName;

import org.diffdenoise.dicom.AtomicSeriesDirectory;
import org.diffdenoise.dicom.MosaicLayout;
import org.diffdenoise.dicom.SkippedFile;
import org.diffdenoise.dicom.SliceGeometry;
import org.diffdenoise.dicom.StudyFiles;
import org.diffdenoise.dicom.StudyScan;

/** Finds image series in a folder tree from headers only, and says why every other file was skipped. */
final class PixelMedStudyScanner {
    private static final String DICOMDIR_SOP_CLASS = "1.2.840.10008.1.3.10";
    /** Image-bearing SOP classes that are not images to denoise (labels, dose grids, parametric values). */
    private static final Set<String> UNSUPPORTED_SOP_CLASSES = Set.of(
            "1.2.840.10008.5.1.4.1.1.66.4",   // Segmentation
            "1.2.840.10008.5.1.4.1.1.66.7",   // Label Map Segmentation
            "1.2.840.10008.5.1.4.1.1.481.2",  // RT Dose
            "1.2.840.10008.5.1.4.1.1.30");    // Parametric Map

    /** Uncompressed transfer syntaxes: their Pixel Data length must hold every frame. */
    private static final Set<String> NATIVE_TRANSFER_SYNTAXES = Set.of("1.2.840.10008.1.2", "1.2.840.10008.1.2.1",
            "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99");

    private PixelMedStudyScanner() {
    }

    /**
     * Either a header for an image file or the reason it was skipped; a damaged file (truncated, impossible lengths)
     * has its reason in {@code skipped} and, when its header could be read far enough, a {@code header} too, so that
     * its series knows it is missing a file.
     */
    private record Outcome(FileHeader header, SkippedFile skipped, boolean cutShort) {
        Outcome(FileHeader header, SkippedFile skipped) {
            this(header, skipped, false);
        }

        boolean damaged() {
            return header != null && skipped != null;
        }
    }

    static StudyScan scan(Path folder) throws IOException {
        StudyFiles listing = StudyFiles.list(folder);
        Path root = folder.toAbsolutePath().normalize();
        List<SkippedFile> skipped = new ArrayList<>(listing.skipped());
        List<Path> files = withoutWorkFolders(root, listing.files(), skipped);
        List<FileHeader> images = new ArrayList<>();
        Map<FileHeader, String> damaged = new LinkedHashMap<>();
        List<DamagedImage> unattributed = new ArrayList<>();
        for (Path f : files) {
            Outcome o = examineSafely(f);
            if (o.damaged()) {
                skipped.add(o.skipped());
                if (o.header().seriesInstanceUid().isEmpty()) {
                    // a file cut short beside a series may be one of its slices; a corrupt or hostile one is not counted
                    if (o.cutShort()) unattributed.add(new DamagedImage(f, o.header().sopClassUid(), o.skipped().reason()));
                } else {
                    damaged.put(o.header(), o.skipped().reason().replaceFirst("^damaged: ", "").replaceFirst("; not read$", ""));
                }
            } else if (o.skipped() != null) {
                skipped.add(o.skipped());
            } else {
                images.add(o.header());
            }
        }
        SeriesAssembly assembly = SeriesAssembly.assemble(images, damaged, unattributed, skipped);
        return new StudyScan(root, assembly.series(), skipped);
    }

    /** A damaged file that looks like an image but could not be read far enough to tell its series. */
    record DamagedImage(Path file, String sopClassUid, String reason) {
    }

    /** {@link #examine}, with every Throwable (a stack overflow or an allocation failure included) the file's own failure. */
    private static Outcome examineSafely(Path f) {
        try {
            return examine(f);
        } catch (StackOverflowError e) {
            return skip(f, "unreadable: nesting too deep to read");
        } catch (OutOfMemoryError e) {
            return skip(f, "unreadable: too large to read into memory");
        } catch (RuntimeException e) {
            String m = e.getMessage();
            return skip(f, "unreadable: " + (m == null || m.isBlank() ? "the DICOM reader failed on this file" : m));
        } catch (Throwable e) {  // whatever one file does to the reader stays that file's problem
            return skip(f, "unreadable: the DICOM reader failed on this file");
        }
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
        } catch (PixelMedReader.DamagedFileException e) {
            return skip(f, "damaged: " + e.getMessage());
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
        if (p.damage() != null) {
            return damaged(f, l, p);
        }
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
        FileHeader h = header(f, l, p, seriesUid);
        String short_ = pixelDataTooShort(h, p.structure());
        if (short_ != null) {
            return new Outcome(h, new SkippedFile(f, "damaged: " + short_));
        }
        return new Outcome(h, null);
    }

    private static FileHeader header(Path f, AttributeList l, PixelMedReader.Parsed p, String seriesUid) {
        SliceGeometry g = Headers.geometry(l, f, 0);
        String sopClass = Headers.string(l, TagFromName.SOPClassUID);
        if (sopClass.isEmpty()) sopClass = Headers.string(l, TagFromName.MediaStorageSOPClassUID);
        return new FileHeader(f, sopClass, seriesUid, Headers.string(l, TagFromName.Modality),
                Headers.string(l, TagFromName.SeriesDescription), Headers.string(l, TagFromName.SeriesNumber),
                p.transferSyntaxUid(), Headers.integer(l, TagFromName.Rows, 0), Headers.integer(l, TagFromName.Columns, 0),
                Headers.frames(l), Headers.string(l, TagFromName.PhotometricInterpretation),
                Headers.integer(l, TagFromName.SamplesPerPixel, 1), Headers.integer(l, TagFromName.BitsAllocated, 0), g,
                mosaicOrNull(l));
    }

    private static MosaicLayout mosaicOrNull(AttributeList l) {
        try {
            return SiemensPrivate.mosaicLayout(l);
        } catch (IllegalArgumentException e) {
            return null;  // the loader names the file and the reason
        }
    }

    /**
     * A damaged file: skipped with the reason, and, when it is an image (an image SOP class, or Rows), remembered with
     * what its readable part says (its series, if that was read) so that its series is not taken as complete.
     */
    private static Outcome damaged(Path f, AttributeList l, PixelMedReader.Parsed p) {
        String reason = "damaged: " + p.damage() + (p.damage().contains("nesting too deep") ? "" : "; not read");
        String sopClass = Headers.string(l, TagFromName.SOPClassUID);
        if (sopClass.isEmpty()) sopClass = Headers.string(l, TagFromName.MediaStorageSOPClassUID);
        String mediaClass = Headers.string(l, TagFromName.MediaStorageSOPClassUID);
        boolean image = (!sopClass.isEmpty() && SOPClass.isImageStorage(sopClass) && !UNSUPPORTED_SOP_CLASSES.contains(sopClass))
                || l.get(TagFromName.Rows) != null;
        if (DICOMDIR_SOP_CLASS.equals(mediaClass)) {
            return skip(f, "DICOMDIR (media directory, not an image), " + reason);
        }
        if (!image) {
            return skip(f, reason);
        }
        return new Outcome(header(f, l, p, Headers.string(l, TagFromName.SeriesInstanceUID)), new SkippedFile(f, reason),
                p.structure().truncated());
    }

    /**
     * Why native (uncompressed) Pixel Data is shorter than Number of Frames x Rows x Columns x samples x bytes, or
     * null: caught here, a file that would fail while loading makes its series incomplete at scan time.
     */
    private static String pixelDataTooShort(FileHeader h, DicomStructureCheck.Result s) {
        if (s == null || !s.pixelDataReached()) return null;
        if (s.pixelDataLength() >= 0) {
            // subsampled colour (YBR_FULL_422 ...) stores fewer values than pixels x samples
            if (!NATIVE_TRANSFER_SYNTAXES.contains(h.transferSyntaxUid()) || h.bitsAllocated() % 8 != 0
                    || h.photometric().contains("_42")) {
                return null;
            }
            long needed = (long) Math.max(1, h.frames()) * h.rows() * h.columns() * Math.max(1, h.samplesPerPixel())
                    * (h.bitsAllocated() / 8);
            return needed <= s.pixelDataLength() ? null : String.format(Locale.ROOT, "Pixel Data holds %d bytes, but Number"
                    + " of Frames %d x Rows %d x Columns %d needs %d (truncated or corrupt)", s.pixelDataLength(),
                    h.frames(), h.rows(), h.columns(), needed);
        }
        // encapsulated: every frame needs at least one fragment
        return s.pixelFragments() >= h.frames() ? null : String.format(Locale.ROOT, "Number of Frames is %d but the"
                + " compressed Pixel Data has %d fragment(s) (truncated or corrupt)", h.frames(), s.pixelFragments());
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
