package org.diffdenoise.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Enhanced multi-frame objects. Per-frame rescale (per-frame Pixel Value Transformation, as some enhanced MR exports
 * have): every frame decodes with its own slope and intercept, and the derived series stores each frame back in its
 * own encoding. Derivation: Image Type DERIVED\PRIMARY (enhanced IODs allow only PRIMARY as value 2), Frame Type
 * DERIVED, and no dciodvfy error the source lacks. The fixture is pydicom's MR_small turned into a three-frame
 * Enhanced MR image.
 */
class EnhancedMultiFrameTest {

    private static final double[][] RESCALE = {{1.0, 0.0}, {2.5, -100.0}, {0.25, 10.0}};
    private static final int FRAMES = RESCALE.length;

    @TempDir
    Path tmp;

    @Test
    void perFrameRescaleIsReadAndWrittenFrameByFrame() throws Exception {
        Path src = TestData.pydicom("MR_small.dcm");
        AttributeList mr = new AttributeList();
        mr.read(src.toFile());
        int w = Attribute.getSingleIntegerValueOrDefault(mr, TagFromName.Columns, 0);
        int h = Attribute.getSingleIntegerValueOrDefault(mr, TagFromName.Rows, 0);
        short[] stored = mr.get(TagFromName.PixelData).getShortValues();
        Path file = tmp.resolve("in/enhanced.dcm");
        Files.createDirectories(file.getParent());
        writeEnhanced(mr, stored, w, h, file);

        DicomBackend backend = Dicom.backend();
        StudyScan scan = backend.scan(file.getParent());
        assertEquals(1, scan.series().size(), () -> "skipped: " + scan.skipped());
        DicomSeries in = backend.load(scan.series().get(0));
        assertEquals(FRAMES, in.sliceCount());
        boolean signed = in.encoding().signed();
        var ra = in.pixels().randomAccess();
        for (int k = 0; k < FRAMES; k++) {
            StoredEncoding e = in.encoding(k);
            assertEquals(RESCALE[k][0], e.rescaleSlope(), 0, "frame " + (k + 1));
            assertEquals(RESCALE[k][1], e.rescaleIntercept(), 0, "frame " + (k + 1));
            for (int i = 0; i < w * h; i += 37) {
                ra.setPosition(new long[] {i % w, i / w, k});
                int s = signed ? stored[i] : stored[i] & 0xFFFF;
                assertEquals(s * RESCALE[k][0] + RESCALE[k][1], ra.get().get(), 1e-3, "frame " + (k + 1) + " pixel " + i);
            }
        }

        // denoised = input + 0.6 frame 1 units: each frame must come back within half of its own slope step
        var out = ArrayImgs.floats(in.pixels().dimensionsAsLongArray());
        var c = Views.flatIterable(in.pixels()).cursor();
        for (FloatType t : out) t.set(c.next().get() + 0.6f);
        Provenance p = new Provenance("conditioned reverse diffusion (DDIM)", "m", "1", "0".repeat(64), 25, 2, 1L, null,
                "DiffDenoise", "test");
        var sd = ArrayImgs.floats(in.pixels().dimensionsAsLongArray());
        for (FloatType t : sd) t.set(1.5f);
        SeriesWriteResult r = backend.writeDerived(in, new DerivedImages(out, sd), p, tmp.resolve("out"), false);
        StudyScan backScan = backend.scan(r.directory());
        DicomSeries back = backend.load(backScan.series().get(0));
        var rb = back.pixels().randomAccess();
        var ro = out.randomAccess();
        for (int k = 0; k < FRAMES; k++) {
            assertEquals(RESCALE[k][0], back.encoding(k).rescaleSlope(), 0, "written frame " + (k + 1));
            assertEquals(RESCALE[k][1], back.encoding(k).rescaleIntercept(), 0, "written frame " + (k + 1));
            double worst = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    rb.setPosition(new long[] {x, y, k});
                    ro.setPosition(new long[] {x, y, k});
                    worst = Math.max(worst, Math.abs(rb.get().get() - ro.get().get()));
                }
            }
            assertTrue(worst <= RESCALE[k][0] / 2 + 1e-3, "frame " + (k + 1) + " off by " + worst);
        }
        // with one shared rescale the frames would not have differed
        assertNotEquals(back.encoding(0).rescaleSlope(), back.encoding(1).rescaleSlope());

        Path written;
        try (var files = Files.list(r.directory())) {
            written = files.filter(f -> f.toString().endsWith(".dcm")).findFirst().orElseThrow();
        }
        AttributeList d = new AttributeList();
        d.read(written.toFile());
        assertArrayEquals(new String[] {"DERIVED", "PRIMARY", "M", "NONE"}, Attribute.getStringValues(d, TagFromName.ImageType));
        AttributeList sharedOut = ((SequenceAttribute) d.get(TagFromName.SharedFunctionalGroupsSequence)).getItem(0).getAttributeList();
        AttributeList frameType = ((SequenceAttribute) sharedOut.get(TagFromName.MRImageFrameTypeSequence)).getItem(0).getAttributeList();
        assertArrayEquals(new String[] {"DERIVED", "PRIMARY", "M", "NONE"}, Attribute.getStringValues(frameType, FRAME_TYPE));
        // the source's frame type is untouched
        AttributeList src2 = new AttributeList();
        src2.read(file.toFile());
        AttributeList srcShared = ((SequenceAttribute) src2.get(TagFromName.SharedFunctionalGroupsSequence)).getItem(0).getAttributeList();
        assertEquals("ORIGINAL", Attribute.getStringValues(((SequenceAttribute) srcShared.get(TagFromName.MRImageFrameTypeSequence))
                .getItem(0).getAttributeList(), FRAME_TYPE)[0]);
        // derivation per frame (Derivation Image functional group), not in the legacy top-level attributes
        String sourceUid = Attribute.getSingleStringValueOrEmptyString(src2, TagFromName.SOPInstanceUID);
        assertDerivedPerFrame(d, sourceUid, "113087");
        java.util.Set<String> added = new java.util.TreeSet<>(DerivedSeriesWriteTest.dciodvfyErrors(written));
        added.removeAll(DerivedSeriesWriteTest.dciodvfyErrors(file));
        assertTrue(added.isEmpty(), "dciodvfy errors the source lacks: " + added);

        // the uncertainty series: its own (local) derivation code per frame, no new dciodvfy error either
        Path sdFile;
        try (var files = Files.list(r.uncertainty().directory())) {
            sdFile = files.filter(f -> f.toString().endsWith(".dcm")).findFirst().orElseThrow();
        }
        AttributeList u = new AttributeList();
        u.read(sdFile.toFile());
        assertDerivedPerFrame(u, sourceUid, "SD-SAMPLES");
        java.util.Set<String> addedSd = new java.util.TreeSet<>(DerivedSeriesWriteTest.dciodvfyErrors(sdFile));
        addedSd.removeAll(DerivedSeriesWriteTest.dciodvfyErrors(file));
        assertTrue(addedSd.isEmpty(), "dciodvfy errors the source lacks (uncertainty): " + addedSd);
        DicomSeries sdBack = backend.load(backend.scan(r.uncertainty().directory()).series().get(0));
        for (int k = 0; k < FRAMES; k++) {
            double step = sdBack.encoding(k).rescaleSlope();
            var c2 = Views.flatIterable(Views.hyperSlice(sdBack.pixels(), 2, k)).cursor();
            while (c2.hasNext()) assertEquals(1.5, c2.next().get(), step / 2 + 1e-6, "SD frame " + (k + 1));
        }
    }

    private static void assertDerivedPerFrame(AttributeList d, String sourceUid, String codeValue) {
        for (AttributeTag legacy : new AttributeTag[] {TagFromName.SourceImageSequence, TagFromName.DerivationDescription,
                TagFromName.DerivationCodeSequence}) {
            assertEquals(null, d.get(legacy), "top-level " + legacy);
        }
        SequenceAttribute perFrame = (SequenceAttribute) d.get(TagFromName.PerFrameFunctionalGroupsSequence);
        assertEquals(FRAMES, perFrame.getNumberOfItems());
        for (int k = 0; k < FRAMES; k++) {
            AttributeList derivation = ((SequenceAttribute) perFrame.getItem(k).getAttributeList()
                    .get(TagFromName.DerivationImageSequence)).getItem(0).getAttributeList();
            assertTrue(Attribute.getSingleStringValueOrEmptyString(derivation, TagFromName.DerivationDescription).length() > 10);
            AttributeList code = ((SequenceAttribute) derivation.get(TagFromName.DerivationCodeSequence)).getItem(0).getAttributeList();
            assertEquals(codeValue, Attribute.getSingleStringValueOrEmptyString(code, TagFromName.CodeValue));
            SequenceAttribute sources = (SequenceAttribute) derivation.get(TagFromName.SourceImageSequence);
            assertEquals(1, sources.getNumberOfItems());
            AttributeList ref = sources.getItem(0).getAttributeList();
            assertEquals(sourceUid, Attribute.getSingleStringValueOrEmptyString(ref, TagFromName.ReferencedSOPInstanceUID));
            assertEquals(String.valueOf(k + 1), Attribute.getSingleStringValueOrEmptyString(ref, TagFromName.ReferencedFrameNumber));
        }
    }

    private static final AttributeTag FRAME_TYPE = new AttributeTag(0x0008, 0x9007);

    // MR_small's header and pixels as a three-frame Enhanced MR image, frame k rescaled by RESCALE[k]
    private static void writeEnhanced(AttributeList mr, short[] stored, int w, int h, Path file) throws Exception {
        AttributeList l = new AttributeList();
        for (AttributeTag t : new AttributeTag[] {TagFromName.PatientName, TagFromName.PatientID, TagFromName.PatientBirthDate,
                TagFromName.PatientSex, TagFromName.StudyInstanceUID, TagFromName.StudyDate, TagFromName.StudyTime,
                TagFromName.StudyID, TagFromName.AccessionNumber, TagFromName.ReferringPhysicianName, TagFromName.Modality,
                TagFromName.SeriesInstanceUID, TagFromName.SeriesNumber, TagFromName.FrameOfReferenceUID,
                TagFromName.Manufacturer, TagFromName.Rows, TagFromName.Columns, TagFromName.BitsAllocated,
                TagFromName.BitsStored, TagFromName.HighBit, TagFromName.PixelRepresentation, TagFromName.SamplesPerPixel,
                TagFromName.PhotometricInterpretation}) {
            Attribute a = mr.get(t);
            if (a != null) l.put(a);
        }
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), SOPClass.EnhancedMRImageStorage);
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), "1.2.826.0.1.3680043.10.1434.77.1");
        put(l, new IntegerStringAttribute(TagFromName.InstanceNumber), "1");
        put(l, new IntegerStringAttribute(TagFromName.NumberOfFrames), String.valueOf(FRAMES));
        put(l, new CodeStringAttribute(TagFromName.ImageType), "ORIGINAL", "PRIMARY", "M", "NONE");

        double[] spacing = Attribute.getDoubleValues(mr, TagFromName.PixelSpacing);
        AttributeList measures = new AttributeList();
        put(measures, new DecimalStringAttribute(TagFromName.PixelSpacing), String.valueOf(spacing[0]), String.valueOf(spacing[1]));
        put(measures, new DecimalStringAttribute(TagFromName.SliceThickness), "5");
        AttributeList orientation = new AttributeList();
        put(orientation, new DecimalStringAttribute(TagFromName.ImageOrientationPatient), "1", "0", "0", "0", "1", "0");
        AttributeList shared = new AttributeList();
        shared.put(sequence(TagFromName.PixelMeasuresSequence, measures));
        shared.put(sequence(TagFromName.PlaneOrientationSequence, orientation));
        AttributeList frameType = new AttributeList();
        put(frameType, new CodeStringAttribute(FRAME_TYPE), "ORIGINAL", "PRIMARY", "M", "NONE");
        shared.put(sequence(TagFromName.MRImageFrameTypeSequence, frameType));
        SequenceAttribute sharedSeq = new SequenceAttribute(TagFromName.SharedFunctionalGroupsSequence);
        sharedSeq.addItem(shared);
        l.put(sharedSeq);

        SequenceAttribute perFrame = new SequenceAttribute(TagFromName.PerFrameFunctionalGroupsSequence);
        for (int k = 0; k < FRAMES; k++) {
            AttributeList position = new AttributeList();
            put(position, new DecimalStringAttribute(TagFromName.ImagePositionPatient), "0", "0", String.valueOf(5 * k));
            AttributeList pvt = new AttributeList();
            put(pvt, new DecimalStringAttribute(TagFromName.RescaleSlope), String.valueOf(RESCALE[k][0]));
            put(pvt, new DecimalStringAttribute(TagFromName.RescaleIntercept), String.valueOf(RESCALE[k][1]));
            put(pvt, new com.pixelmed.dicom.LongStringAttribute(TagFromName.RescaleType), "US");
            AttributeList item = new AttributeList();
            item.put(sequence(TagFromName.PlanePositionSequence, position));
            item.put(sequence(TagFromName.PixelValueTransformationSequence, pvt));
            perFrame.addItem(item);
        }
        l.put(perFrame);

        short[] frames = new short[FRAMES * w * h];
        for (int k = 0; k < FRAMES; k++) System.arraycopy(stored, 0, frames, k * w * h, w * h);
        OtherWordAttribute pd = new OtherWordAttribute(TagFromName.PixelData);
        pd.setValues(frames);
        l.put(pd);
        FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "TEST");
        l.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }

    private static SequenceAttribute sequence(AttributeTag tag, AttributeList item) {
        SequenceAttribute s = new SequenceAttribute(tag);
        s.addItem(item);
        return s;
    }

    private static void put(AttributeList l, Attribute a, String... values) throws Exception {
        for (String v : values) a.addValue(v);
        l.put(a);
    }
}
