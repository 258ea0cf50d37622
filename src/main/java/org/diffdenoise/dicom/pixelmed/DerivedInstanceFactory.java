package org.diffdenoise.dicom.pixelmed;

import java.util.ArrayList;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DateTimeAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.FloatDoubleAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UnlimitedTextAttribute;

import org.diffdenoise.dicom.Provenance;
import org.diffdenoise.dicom.ProvenanceText;

/**
 * Builds one derived instance from its source header, highdicom-style: patient, study, frame of reference, geometry
 * and pixel encoding are inherited; identity, derivation, references, provenance and pixels are new. All changes
 * to a derived instance are made here and nowhere else.
 */
final class DerivedInstanceFactory {
    /** CID 7203 "Image Derivation" has no denoising concept; Smoothing is the closest standard code. */
    static final String[] DERIVATION_CODE = {"113087", "DCM", "Smoothing"};
    /** CID 7202 purpose of reference for each Source Image Sequence item. */
    static final String[] SOURCE_PURPOSE_CODE = {"121322", "DCM", "Source image for image processing operation"};
    /** CID 7005 purpose of reference for the Contributing Equipment item. */
    static final String[] EQUIPMENT_PURPOSE_CODE = {"109103", "DCM", "Modifying Equipment"};

    /** Private block holding the machine-readable provenance (see docs/dicom.md). */
    static final int PRIVATE_GROUP = 0x0011;
    static final String PRIVATE_CREATOR = "DIFFDENOISE 1";
    static final AttributeTag PRIVATE_CREATOR_TAG = new AttributeTag(PRIVATE_GROUP, 0x0010);
    /** UT: the full provenance as JSON. */
    static final AttributeTag PROVENANCE_JSON_TAG = new AttributeTag(PRIVATE_GROUP, 0x1001);
    /** FD, one value per frame: estimated noise sigma in modality units. */
    static final AttributeTag NOISE_SIGMA_TAG = new AttributeTag(PRIVATE_GROUP, 0x1002);
    /** LO: model SHA-256 (64 hex digits). */
    static final AttributeTag MODEL_SHA256_TAG = new AttributeTag(PRIVATE_GROUP, 0x1003);

    // not in PixelMed's TagFromName
    private static final AttributeTag SMALLEST_PIXEL_VALUE_IN_SERIES = new AttributeTag(0x0028, 0x0108);
    private static final AttributeTag LARGEST_PIXEL_VALUE_IN_SERIES = new AttributeTag(0x0028, 0x0109);
    private static final AttributeTag CONTRIBUTION_DATE_TIME = new AttributeTag(0x0018, 0xA002);

    /** Per-series values shared by every derived instance. */
    record SeriesContext(String seriesInstanceUid, int seriesNumber, String seriesDescription, String date, String time,
                         String dateTime, Provenance provenance, String sourceSeriesInstanceUid,
                         List<String[]> sourceInstances /* {SOP Class UID, SOP Instance UID} */) {
    }

    /** One frame of the new instance: which source frame it replaces and its stored pixel values. */
    record Frame(int sourceFrame /* 1-based, 0 for single-frame */, double noiseSigma) {
    }

    private DerivedInstanceFactory() {
    }

    /**
     * The derived instance for {@code source}: {@code pixelData} is short[] (16-bit) or byte[] (8-bit) already in
     * the source's stored representation, frames in {@code frames} order.
     */
    static AttributeList derive(AttributeList source, SeriesContext series, int instanceNumber, List<Frame> frames,
                                Object pixelData) throws DicomException {
        AttributeList d = new AttributeList();
        d.putAll(source);  // shallow: inherited attributes are shared, never modified; changed ones are replaced

        // what no longer applies to new pixels or a new file
        d.removeMetaInformationHeaderAttributes();
        d.removeGroupLengthAttributes();
        d.removePrivateAttributes();  // vendor private data may describe the old pixels; ours is added below
        for (AttributeTag t : new AttributeTag[] {TagFromName.PixelData, TagFromName.IconImageSequence,
                TagFromName.PixelPaddingValue, TagFromName.PixelPaddingRangeLimit,
                TagFromName.SmallestImagePixelValue, TagFromName.LargestImagePixelValue,
                SMALLEST_PIXEL_VALUE_IN_SERIES, LARGEST_PIXEL_VALUE_IN_SERIES,
                TagFromName.DataSetTrailingPadding, TagFromName.SourceImageSequence,
                TagFromName.DerivationCodeSequence, TagFromName.ReferencedSeriesSequence}) {
            d.remove(t);
        }
        removeEmbeddedOverlays(d);

        // identity
        String sopInstanceUid = org.diffdenoise.dicom.DicomUids.newUid();
        String sopClassUid = Headers.string(source, TagFromName.SOPClassUID);
        set(d, TagFromName.SOPInstanceUID, sopInstanceUid);
        set(d, TagFromName.SeriesInstanceUID, series.seriesInstanceUid());
        set(d, TagFromName.SeriesNumber, Integer.toString(series.seriesNumber()));
        set(d, TagFromName.InstanceNumber, Integer.toString(instanceNumber));
        set(d, TagFromName.SeriesDescription, series.seriesDescription());
        set(d, TagFromName.SeriesDate, series.date());
        set(d, TagFromName.SeriesTime, series.time());
        set(d, TagFromName.ContentDate, series.date());
        set(d, TagFromName.ContentTime, series.time());
        set(d, TagFromName.InstanceCreationDate, series.date());
        set(d, TagFromName.InstanceCreationTime, series.time());
        set(d, TagFromName.ImageType, imageType(source));

        // derivation and references
        double[] sigmas = frames.stream().filter(f -> !Double.isNaN(f.noiseSigma())).mapToDouble(Frame::noiseSigma).toArray();
        Provenance p = series.provenance();
        set(d, TagFromName.DerivationDescription, ProvenanceText.summary(p, sigmas));
        d.put(codeSequence(TagFromName.DerivationCodeSequence, DERIVATION_CODE));
        SequenceAttribute sources = new SequenceAttribute(TagFromName.SourceImageSequence);
        String sourceSopInstanceUid = Headers.string(source, TagFromName.SOPInstanceUID);
        for (Frame f : frames) {
            AttributeList item = new AttributeList();
            set(item, TagFromName.ReferencedSOPClassUID, sopClassUid);
            set(item, TagFromName.ReferencedSOPInstanceUID, sourceSopInstanceUid);
            if (f.sourceFrame() > 0) {
                set(item, TagFromName.ReferencedFrameNumber, Integer.toString(f.sourceFrame()));
            }
            item.put(codeSequence(TagFromName.PurposeOfReferenceCodeSequence, SOURCE_PURPOSE_CODE));
            sources.addItem(item);
        }
        d.put(sources);
        d.put(referencedSeries(series));
        d.put(contributingEquipment(source, series));

        // machine-readable provenance in a private block
        LongStringAttribute creator = new LongStringAttribute(PRIVATE_CREATOR_TAG);
        creator.addValue(PRIVATE_CREATOR);
        d.put(creator);
        UnlimitedTextAttribute json = new UnlimitedTextAttribute(PROVENANCE_JSON_TAG);
        json.addValue(ProvenanceText.json(p, sigmas));
        d.put(json);
        if (sigmas.length > 0) {
            FloatDoubleAttribute sigma = new FloatDoubleAttribute(NOISE_SIGMA_TAG);
            for (double s : sigmas) {
                sigma.addValue(s);
            }
            d.put(sigma);
        }
        if (p.modelSha256() != null && !p.modelSha256().isEmpty()) {
            LongStringAttribute sha = new LongStringAttribute(MODEL_SHA256_TAG);
            sha.addValue(p.modelSha256().length() > 64 ? p.modelSha256().substring(0, 64) : p.modelSha256());
            d.put(sha);
        }

        // pixels, in the source's stored representation (Image Pixel module and rescale inherited)
        if (pixelData instanceof short[] words) {
            OtherWordAttribute a = new OtherWordAttribute(TagFromName.PixelData);
            a.setValues(words);
            d.put(a);
        } else {
            byte[] bytes = (byte[]) pixelData;
            if (bytes.length % 2 != 0) {
                bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1);  // OB values have even length
            }
            OtherByteAttribute a = new OtherByteAttribute(TagFromName.PixelData);
            a.setValues(bytes);
            d.put(a);
        }
        // PixelMed writes uncompressed only: always Explicit VR Little Endian
        FileMetaInformation.addFileMetaInformation(d, TransferSyntax.ExplicitVRLittleEndian, "DIFFDENOISE");
        return d;
    }

    /** Value 1 DERIVED, value 2 SECONDARY, later values kept (e.g. CT's AXIAL). */
    private static String[] imageType(AttributeList source) throws DicomException {
        Attribute a = source.get(TagFromName.ImageType);
        String[] old = a == null ? new String[0] : a.getStringValues();
        List<String> values = new ArrayList<>(List.of("DERIVED", "SECONDARY"));
        for (int i = 2; old != null && i < old.length; i++) {
            values.add(old[i]);
        }
        return values.toArray(new String[0]);
    }

    private static SequenceAttribute referencedSeries(SeriesContext series) throws DicomException {
        SequenceAttribute seq = new SequenceAttribute(TagFromName.ReferencedSeriesSequence);
        AttributeList item = new AttributeList();
        set(item, TagFromName.SeriesInstanceUID, series.sourceSeriesInstanceUid());
        SequenceAttribute instances = new SequenceAttribute(TagFromName.ReferencedInstanceSequence);
        for (String[] ref : series.sourceInstances()) {
            AttributeList i = new AttributeList();
            set(i, TagFromName.ReferencedSOPClassUID, ref[0]);
            set(i, TagFromName.ReferencedSOPInstanceUID, ref[1]);
            instances.addItem(i);
        }
        item.put(instances);
        seq.addItem(item);
        return seq;
    }

    /** Source's contributing equipment items, then ours (this software as Modifying Equipment). */
    private static SequenceAttribute contributingEquipment(AttributeList source, SeriesContext series) throws DicomException {
        SequenceAttribute seq = new SequenceAttribute(TagFromName.ContributingEquipmentSequence);
        Attribute old = source.get(TagFromName.ContributingEquipmentSequence);
        if (old instanceof SequenceAttribute s) {
            for (int i = 0; i < s.getNumberOfItems(); i++) {
                SequenceItem it = s.getItem(i);
                seq.addItem(it.getAttributeList());
            }
        }
        Provenance p = series.provenance();
        AttributeList item = new AttributeList();
        set(item, TagFromName.Manufacturer, p.softwareName());
        set(item, TagFromName.ManufacturerModelName, p.softwareName());
        set(item, TagFromName.SoftwareVersions, p.softwareVersion());
        DateTimeAttribute when = new DateTimeAttribute(CONTRIBUTION_DATE_TIME);
        when.addValue(series.dateTime());
        item.put(when);
        set(item, TagFromName.ContributionDescription, truncate("Denoised: " + p.method() + " with model " + p.modelName()
                + " " + p.modelVersion(), 1024));
        item.put(codeSequence(TagFromName.PurposeOfReferenceCodeSequence, EQUIPMENT_PURPOSE_CODE));
        seq.addItem(item);
        return seq;
    }

    /** Overlays stored in unused pixel bits (no Overlay Data element) do not survive new pixel data. */
    private static void removeEmbeddedOverlays(AttributeList d) {
        for (int group = 0x6000; group <= 0x601E; group += 2) {
            boolean hasOverlay = d.get(new AttributeTag(group, 0x0010)) != null;
            boolean hasData = d.get(new AttributeTag(group, 0x3000)) != null;
            if (hasOverlay && !hasData) {
                d.removeGroup(group);
            }
        }
    }

    private static SequenceAttribute codeSequence(AttributeTag tag, String[] code) throws DicomException {
        SequenceAttribute seq = new SequenceAttribute(tag);
        seq.addItem(new CodedSequenceItem(code[0], code[1], code[2]).getAttributeList());
        return seq;
    }

    /** Replaces an attribute with a new one (VR from the dictionary) holding the given values. */
    static void set(AttributeList l, AttributeTag tag, String... values) throws DicomException {
        l.remove(tag);
        Attribute a = l.putNewAttribute(tag);
        for (String v : values) {
            a.addValue(v);
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
