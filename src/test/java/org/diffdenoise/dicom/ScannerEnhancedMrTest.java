package org.diffdenoise.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An enhanced MR image straight from a scanner: nibabel's Philips 176-frame MPRAGE (Enhanced MR Image Storage, its
 * pixel data zeroed by nibabel, its functional groups as the scanner wrote them). It reads as 176 slices of 256 x 256
 * in position order, and its derived image reads back with the values written (to within its rescale's step). dciodvfy (dicom3tools as packaged
 * in Debian 12) flags the MR Pulse Sequence and Bulk Motion attributes the derived image inherits as "present when
 * condition unsatisfied": they are 1C "Required if Image Type Value 1 is ORIGINAL or MIXED. May be present otherwise"
 * (PS3.3 C.8.13.4, C.7.6.16.2.x), so for a DERIVED image they may stay, and they describe how the slices were acquired.
 * Those are the only messages the source does not have.
 */
class ScannerEnhancedMrTest {

    @TempDir
    Path tmp;

    @Test
    void aPhilipsEnhancedMrReadsInPositionOrderAndDerivesWithoutNewErrors() throws Exception {
        Path source = TestData.root().resolve("nibabel").resolve("philips_mprage.dcm");
        assertTrue(Files.isRegularFile(source), source + " missing: run scripts/setup.sh");
        DicomBackend backend = Dicom.backend();
        StudyScan scan = backend.scan(TestData.isolate(source, tmp));
        assertEquals(1, scan.series().size(), () -> "skipped: " + scan.skipped());
        DicomSeries s = backend.load(scan.series().get(0));
        assertEquals(176, s.sliceCount());
        assertEquals(256, s.pixels().dimension(0));
        assertEquals(256, s.pixels().dimension(1));
        // ordered along the slice normal: positions projected on it increase
        double[] n = s.geometry().get(0).normal();
        double last = Double.NEGATIVE_INFINITY;
        for (SliceGeometry g : s.geometry()) {
            double d = g.positionAlong(n);
            assertTrue(d > last, "slice at " + d + " after " + last);
            last = d;
        }

        TestData.Derived d = TestData.derivePlus(backend, s, 3f, tmp.resolve("out"));
        DicomSeries back = backend.load(backend.scan(d.result().directory()).series().get(0));
        // stored back in each frame's own rescale (Philips: slope about 2.1), so to within half its step
        float[] expected = TestData.toArray(d.written()), got = TestData.toArray(back.pixels());
        int plane = 256 * 256;
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], got[i], 0.5 * Math.abs(s.encoding(i / plane).rescaleSlope()) + 1e-4, "derived voxel " + i);

        Path written = d.firstFile();
        Set<String> added = new TreeSet<>(DerivedSeriesWriteTest.dciodvfyErrors(written));
        added.removeAll(DerivedSeriesWriteTest.dciodvfyErrors(source));
        Set<String> other = new TreeSet<>();
        for (String e : added)
            if (!(e.contains("Attribute present when condition unsatisfied")
                    && (e.contains("Module=<MRPulseSequence>") || e.contains("Module=<BulkMotionSynchronization>")))) other.add(e);
        assertTrue(other.isEmpty(), "dciodvfy errors the source lacks: " + other);
        assertTrue(added.size() <= 17, "MR Pulse Sequence / Bulk Motion messages: " + added);
    }
}
