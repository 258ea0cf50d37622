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
    /**
     * Derivation code of an uncertainty map inside an enhanced object's Derivation Image functional group, where the
     * code is required: CID 7203 has none for a standard deviation across samples, so a local one (coding scheme
     * designators starting with 99 are private by definition).
     */
    static final String[] UNCERTAINTY_DERIVATION_CODE = {"SD-SAMPLES", "99DIFFDENOISE",
            "Per-pixel standard deviation across diffusion samples"};
    /** CID 7202 purpose of reference for each Source Image Sequence item. */
    static final String[] SOURCE_PURPOSE_CODE = {"121322", "DCM", "Source image for image processing operation"};
    /** CID 7005 purpose of reference for the Contributing Equipment item. */
    static final String[] EQUIPMENT_PURPOSE_CODE = {"109103", "DCM", "Modifying Equipment"};

    /**
     * Storage SOP classes whose IOD is multi-frame: only references to these may carry Referenced Frame Number
     * (PS3.3 C.7.6.1.1.3; dciodvfy checks it). A legacy single-frame class holding Number of Frames (an MR Image
     * with 16 frames, a Secondary Capture with 1) is referenced as a whole.
     */
    static final java.util.Set<String> MULTI_FRAME_SOP_CLASSES = java.util.Set.of(
            "1.2.840.10008.5.1.4.1.1.2.1",     // Enhanced CT
            "1.2.840.10008.5.1.4.1.1.2.2",     // Legacy Converted Enhanced CT
            "1.2.840.10008.5.1.4.1.1.3.1",     // Ultrasound Multi-frame
            "1.2.840.10008.5.1.4.1.1.4.1",     // Enhanced MR
            "1.2.840.10008.5.1.4.1.1.4.3",     // Enhanced MR Color
            "1.2.840.10008.5.1.4.1.1.4.4",     // Legacy Converted Enhanced MR
            "1.2.840.10008.5.1.4.1.1.6.2",     // Enhanced US Volume
            "1.2.840.10008.5.1.4.1.1.7.1",     // Multi-frame Single Bit Secondary Capture
            "1.2.840.10008.5.1.4.1.1.7.2",     // Multi-frame Grayscale Byte Secondary Capture
            "1.2.840.10008.5.1.4.1.1.7.3",     // Multi-frame Grayscale Word Secondary Capture
            "1.2.840.10008.5.1.4.1.1.7.4",     // Multi-frame True Color Secondary Capture
            "1.2.840.10008.5.1.4.1.1.12.1",    // X-Ray Angiographic
            "1.2.840.10008.5.1.4.1.1.12.1.1",  // Enhanced XA
            "1.2.840.10008.5.1.4.1.1.12.2",    // X-Ray Radiofluoroscopic
            "1.2.840.10008.5.1.4.1.1.12.2.1",  // Enhanced XRF
            "1.2.840.10008.5.1.4.1.1.13.1.1",  // X-Ray 3D Angiographic
            "1.2.840.10008.5.1.4.1.1.13.1.2",  // X-Ray 3D Craniofacial
            "1.2.840.10008.5.1.4.1.1.13.1.3",  // Breast Tomosynthesis
            "1.2.840.10008.5.1.4.1.1.13.1.4",  // Breast Projection X-Ray For Presentation
            "1.2.840.10008.5.1.4.1.1.13.1.5",  // Breast Projection X-Ray For Processing
            "1.2.840.10008.5.1.4.1.1.14.1",    // Intravascular OCT For Presentation
            "1.2.840.10008.5.1.4.1.1.14.2",    // Intravascular OCT For Processing
            "1.2.840.10008.5.1.4.1.1.20",      // Nuclear Medicine
            "1.2.840.10008.5.1.4.1.1.30",      // Parametric Map
            "1.2.840.10008.5.1.4.1.1.128.1",   // Legacy Converted Enhanced PET
            "1.2.840.10008.5.1.4.1.1.130",     // Enhanced PET
            "1.2.840.10008.5.1.4.1.1.77.1.6"); // VL Whole Slide Microscopy

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
    private static final AttributeTag MODALITY_LUT_SEQUENCE = new AttributeTag(0x0028, 0x3000);
    private static final AttributeTag FRAME_TYPE = new AttributeTag(0x0008, 0x9007);
    private static final AttributeTag SOURCE_IMAGE_EVIDENCE_SEQUENCE = new AttributeTag(0x0008, 0x9154);

    /** Per-series values shared by every derived instance. */
    record SeriesContext(String seriesInstanceUid, int seriesNumber, String seriesDescription, String date, String time,
                         String dateTime, Provenance provenance, String sourceSeriesInstanceUid,
                         List<String[]> sourceInstances /* {SOP Class UID, SOP Instance UID} */,
                         Uncertainty uncertainty /* null for the denoised series */,
                         java.util.function.Supplier<double[]> fallbackWindow /* {center, width} in modality units for an invalid source window; null: none */) {
    }

    /**
     * The series holds a per-pixel standard deviation across samples, in modality units, stored with
     * {@code encoding} (16-bit unsigned, own Rescale Slope) and displayed with the given window.
     */
    record Uncertainty(org.diffdenoise.dicom.StoredEncoding encoding, double windowCenter, double windowWidth) {
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
        if (series.uncertainty() == null && series.fallbackWindow() != null) repairWindows(d, series.fallbackWindow());

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
        deriveFrameTypes(d);

        // derivation and references
        double[] sigmas = frames.stream().filter(f -> !Double.isNaN(f.noiseSigma())).mapToDouble(Frame::noiseSigma).toArray();
        Provenance p = series.provenance();
        Uncertainty u = series.uncertainty();
        String description = u == null ? ProvenanceText.summary(p, sigmas) : ProvenanceText.uncertaintySummary(p, sigmas);
        set(d, TagFromName.DerivationDescription, description);
        if (u == null) {
            d.put(codeSequence(TagFromName.DerivationCodeSequence, DERIVATION_CODE));
        } else {
            // CID 7203 has no code for a standard deviation across samples: described in words only
            uncertaintyEncoding(d, u);
        }
        SequenceAttribute sources = new SequenceAttribute(TagFromName.SourceImageSequence);
        String sourceSopInstanceUid = Headers.string(source, TagFromName.SOPInstanceUID);
        for (Frame f : frames) {
            AttributeList item = new AttributeList();
            set(item, TagFromName.ReferencedSOPClassUID, sopClassUid);
            set(item, TagFromName.ReferencedSOPInstanceUID, sourceSopInstanceUid);
            if (f.sourceFrame() > 0 && MULTI_FRAME_SOP_CLASSES.contains(sopClassUid)) {
                set(item, TagFromName.ReferencedFrameNumber, Integer.toString(f.sourceFrame()));
            }
            item.put(codeSequence(TagFromName.PurposeOfReferenceCodeSequence, SOURCE_PURPOSE_CODE));
            sources.addItem(item);
        }
        d.put(sources);
        if (derivationIntoFrames(d, description, u == null ? DERIVATION_CODE : UNCERTAINTY_DERIVATION_CODE))
            d.put(sourceImageEvidence(source, sopClassUid, sourceSopInstanceUid));
        d.put(referencedSeries(series));
        d.put(contributingEquipment(source, series));

        // machine-readable provenance in a private block
        LongStringAttribute creator = new LongStringAttribute(PRIVATE_CREATOR_TAG);
        creator.addValue(PRIVATE_CREATOR);
        d.put(creator);
        UnlimitedTextAttribute json = new UnlimitedTextAttribute(PROVENANCE_JSON_TAG);
        json.addValue(DerivedText.asciiJson(ProvenanceText.json(p, sigmas, u == null ? "denoised" : "uncertainty")));
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
        DerivedText.encode(d, source);  // copied text keeps its bytes, new text in the source's character set
        // PixelMed writes uncompressed only: always Explicit VR Little Endian
        FileMetaInformation.addFileMetaInformation(d, TransferSyntax.ExplicitVRLittleEndian, "DIFFDENOISE");
        return d;
    }

    /**
     * Pixel encoding, modality rescale and display window of an uncertainty instance: 16-bit unsigned MONOCHROME2
     * with its own Rescale Slope (intercept 0) and a window from 0 to the 99.5th percentile; the source's VOI LUT,
     * Modality LUT and presentation inversion do not apply to standard deviations. Enhanced multi-frame sources
     * get the same values in their Pixel Value Transformation and Frame VOI LUT functional groups.
     */
    private static void uncertaintyEncoding(AttributeList d, Uncertainty u) throws DicomException {
        org.diffdenoise.dicom.StoredEncoding e = u.encoding();
        set(d, TagFromName.BitsAllocated, Integer.toString(e.bitsAllocated()));
        set(d, TagFromName.BitsStored, Integer.toString(e.bitsStored()));
        set(d, TagFromName.HighBit, Integer.toString(e.highBit()));
        set(d, TagFromName.PixelRepresentation, e.signed() ? "1" : "0");
        set(d, TagFromName.PhotometricInterpretation, e.photometricInterpretation());
        for (AttributeTag t : new AttributeTag[] {TagFromName.VOILUTSequence, TagFromName.WindowCenterWidthExplanation,
                MODALITY_LUT_SEQUENCE, TagFromName.VOILUTFunction}) {
            d.remove(t);
        }
        if (d.get(TagFromName.PresentationLUTShape) != null) {
            set(d, TagFromName.PresentationLUTShape, "IDENTITY");
        }
        String slope = decimalString(e.rescaleSlope());
        String center = decimalString(u.windowCenter());
        String width = decimalString(u.windowWidth());
        boolean enhanced = d.get(TagFromName.SharedFunctionalGroupsSequence) != null;
        if (!enhanced) {
            set(d, TagFromName.RescaleSlope, slope);
            set(d, TagFromName.RescaleIntercept, "0");
            set(d, TagFromName.WindowCenter, center);
            set(d, TagFromName.WindowWidth, width);
            return;
        }
        // a functional group sits either in the shared item or in the per-frame items, never both (dciodvfy error):
        // where the source has it per frame, every frame gets the new one; else the shared item does
        boolean pvtPerFrame = perFrameHas(d, TagFromName.PixelValueTransformationSequence);
        boolean voiPerFrame = perFrameHas(d, TagFromName.FrameVOILUTSequence);
        for (AttributeTag groups : new AttributeTag[] {TagFromName.SharedFunctionalGroupsSequence,
                TagFromName.PerFrameFunctionalGroupsSequence}) {
            boolean shared = groups.equals(TagFromName.SharedFunctionalGroupsSequence);
            editGroupItems(d, groups, (i, item) -> {
                if (shared != pvtPerFrame) {
                    AttributeList oldPvt = Headers.macro(item, TagFromName.PixelValueTransformationSequence);
                    String type = oldPvt == null ? null : Headers.string(oldPvt, TagFromName.RescaleType);
                    AttributeList pvt = new AttributeList();
                    set(pvt, TagFromName.RescaleSlope, slope);
                    set(pvt, TagFromName.RescaleIntercept, "0");
                    set(pvt, TagFromName.RescaleType, type == null || type.isBlank() ? "US" : type);
                    item.put(sequenceOf(TagFromName.PixelValueTransformationSequence, pvt));
                }
                if (shared != voiPerFrame) {
                    AttributeList voi = new AttributeList();
                    set(voi, TagFromName.WindowCenter, center);
                    set(voi, TagFromName.WindowWidth, width);
                    item.put(sequenceOf(TagFromName.FrameVOILUTSequence, voi));
                }
            });
        }
    }

    /** Edits one item of a functional group sequence; {@code index} counts from 0. */
    private interface GroupItemEditor {
        void edit(int index, AttributeList item) throws DicomException;
    }

    /**
     * Replaces the functional group sequence {@code groups} of {@code d} (if present) by copies of its items, each
     * passed to {@code editor}: shallow copies, so the source's items stay as they are as long as the editor puts new
     * macros rather than changing the ones it finds.
     */
    private static void editGroupItems(AttributeList d, AttributeTag groups, GroupItemEditor editor) throws DicomException {
        if (!(d.get(groups) instanceof SequenceAttribute old)) return;
        SequenceAttribute copy = new SequenceAttribute(groups);
        for (int i = 0; i < old.getNumberOfItems(); i++) {
            AttributeList item = new AttributeList();
            item.putAll(old.getItem(i).getAttributeList());
            editor.edit(i, item);
            copy.addItem(item);
        }
        d.put(copy);
    }

    /**
     * Replaces a display window whose width is below 1 (DICOM requires at least 1; some scanners and converters write
     * 0, which viewers show as a blank or black image) by {@code fallback}, at the top level and in Frame VOI LUT
     * functional groups. Valid windows are kept as the source had them.
     */
    static void repairWindows(AttributeList d, java.util.function.Supplier<double[]> fallbackWindow) throws DicomException {
        boolean top = invalidWindow(d), inGroups = false;
        for (AttributeTag g : new AttributeTag[] {TagFromName.SharedFunctionalGroupsSequence, TagFromName.PerFrameFunctionalGroupsSequence}) {
            if (!(d.get(g) instanceof SequenceAttribute seq)) continue;
            for (int i = 0; i < seq.getNumberOfItems() && !inGroups; i++) inGroups = invalidFrameVoi(seq.getItem(i).getAttributeList()) != null;
        }
        if (!top && !inGroups) return;
        double[] fallback = fallbackWindow.get();
        if (fallback == null) return;
        String center = decimalString(fallback[0]), width = decimalString(Math.max(1, fallback[1]));
        if (top) {
            d.remove(TagFromName.WindowCenterWidthExplanation);
            set(d, TagFromName.WindowCenter, center);
            set(d, TagFromName.WindowWidth, width);
        }
        for (AttributeTag groups : new AttributeTag[] {TagFromName.SharedFunctionalGroupsSequence, TagFromName.PerFrameFunctionalGroupsSequence}) {
            if (!(d.get(groups) instanceof SequenceAttribute seq)) continue;
            boolean any = false;
            for (int i = 0; i < seq.getNumberOfItems() && !any; i++) any = invalidFrameVoi(seq.getItem(i).getAttributeList()) != null;
            if (!any) continue;
            editGroupItems(d, groups, (i, item) -> {
                AttributeList voi = invalidFrameVoi(item);
                if (voi == null) return;
                AttributeList fixed = new AttributeList();
                fixed.putAll(voi);
                fixed.remove(TagFromName.WindowCenterWidthExplanation);
                set(fixed, TagFromName.WindowCenter, center);
                set(fixed, TagFromName.WindowWidth, width);
                item.put(sequenceOf(TagFromName.FrameVOILUTSequence, fixed));
            });
        }
    }

    /** The Frame VOI LUT item of a functional-group item when its window is invalid, else null. */
    private static AttributeList invalidFrameVoi(AttributeList groupItem) {
        if (!(groupItem.get(TagFromName.FrameVOILUTSequence) instanceof SequenceAttribute voi) || voi.getNumberOfItems() == 0) return null;
        AttributeList l = voi.getItem(0).getAttributeList();
        return invalidWindow(l) ? l : null;
    }

    /** True when Window Width is present with a value below 1 or not a number. */
    static boolean invalidWindow(AttributeList l) {
        Attribute w = l.get(TagFromName.WindowWidth);
        if (w == null || w.getVM() == 0) return false;
        try {
            for (double v : w.getDoubleValues()) if (!(v >= 1)) return true;
            return false;
        } catch (DicomException e) {
            return true;
        }
    }

    /** A sequence holding the one item. */
    private static SequenceAttribute sequenceOf(AttributeTag tag, AttributeList item) {
        SequenceAttribute seq = new SequenceAttribute(tag);
        seq.addItem(item);
        return seq;
    }

    private static boolean perFrameHas(AttributeList d, AttributeTag macro) {
        if (!(d.get(TagFromName.PerFrameFunctionalGroupsSequence) instanceof SequenceAttribute perFrame)) return false;
        for (int i = 0; i < perFrame.getNumberOfItems(); i++)
            if (perFrame.getItem(i).getAttributeList().get(macro) != null) return true;
        return false;
    }

    /** A DS value (at most 16 characters) for v. */
    static String decimalString(double v) {
        for (int digits = 10; digits > 1; digits--) {
            String s = new java.math.BigDecimal(v).round(new java.math.MathContext(digits)).stripTrailingZeros().toPlainString();
            if (s.length() <= 16) {
                return s;
            }
        }
        return String.format(java.util.Locale.ROOT, "%.6E", v);
    }

    /**
     * Value 1 DERIVED, value 2 SECONDARY, later values kept (e.g. CT's AXIAL). Enhanced multi-frame objects (with
     * functional groups) allow only PRIMARY as value 2, so they keep it.
     */
    private static String[] imageType(AttributeList source) throws DicomException {
        Attribute a = source.get(TagFromName.ImageType);
        String[] old = a == null ? new String[0] : a.getStringValues();
        boolean enhanced = source.get(TagFromName.SharedFunctionalGroupsSequence) != null;
        List<String> values = new ArrayList<>(List.of("DERIVED", enhanced ? "PRIMARY" : "SECONDARY"));
        for (int i = 2; old != null && i < old.length; i++) {
            values.add(old[i]);
        }
        return values.toArray(new String[0]);
    }

    /**
     * Enhanced multi-frame objects carry their derivation per frame, in the Derivation Image functional group
     * (required when a frame was derived): each per-frame item gets a Derivation Image Sequence with the Derivation
     * Description, a Derivation Code Sequence and that frame's Source Image Sequence item, and the top-level
     * attributes of the legacy General Image module go. Objects without per-frame groups (one item per frame) keep
     * the top-level attributes.
     */
    private static boolean derivationIntoFrames(AttributeList d, String description, String[] code) throws DicomException {
        if (!(d.get(TagFromName.PerFrameFunctionalGroupsSequence) instanceof SequenceAttribute perFrame)
                || !(d.get(TagFromName.SourceImageSequence) instanceof SequenceAttribute sources)
                || sources.getNumberOfItems() != perFrame.getNumberOfItems()) {
            return false;
        }
        editGroupItems(d, TagFromName.PerFrameFunctionalGroupsSequence, (i, item) -> {
            AttributeList derivation = new AttributeList();
            set(derivation, TagFromName.DerivationDescription, description);
            derivation.put(codeSequence(TagFromName.DerivationCodeSequence, code));
            derivation.put(sequenceOf(TagFromName.SourceImageSequence, sources.getItem(i).getAttributeList()));
            item.put(sequenceOf(TagFromName.DerivationImageSequence, derivation));
        });
        d.remove(TagFromName.DerivationDescription);
        d.remove(TagFromName.DerivationCodeSequence);
        d.remove(TagFromName.SourceImageSequence);
        return true;
    }

    /** Source Image Evidence Sequence (required with a Derivation Image functional group): the source instance. */
    private static SequenceAttribute sourceImageEvidence(AttributeList source, String sopClassUid, String sopInstanceUid)
            throws DicomException {
        AttributeList instance = new AttributeList();
        set(instance, TagFromName.ReferencedSOPClassUID, sopClassUid);
        set(instance, TagFromName.ReferencedSOPInstanceUID, sopInstanceUid);
        AttributeList series = new AttributeList();
        set(series, TagFromName.SeriesInstanceUID, Headers.string(source, TagFromName.SeriesInstanceUID));
        series.put(sequenceOf(TagFromName.ReferencedSOPSequence, instance));
        AttributeList study = new AttributeList();
        set(study, TagFromName.StudyInstanceUID, Headers.string(source, TagFromName.StudyInstanceUID));
        study.put(sequenceOf(TagFromName.ReferencedSeriesSequence, series));
        return sequenceOf(SOURCE_IMAGE_EVIDENCE_SEQUENCE, study);
    }

    /**
     * Enhanced objects describe each frame in a frame-type macro (MR/CT Image Frame Type and the like, holding Frame
     * Type): its value 1 becomes DERIVED, as the Image Type's does. The functional-group items are copied, not changed
     * in place, since they are the source's.
     */
    private static void deriveFrameTypes(AttributeList d) throws DicomException {
        for (AttributeTag groups : new AttributeTag[] {TagFromName.SharedFunctionalGroupsSequence,
                TagFromName.PerFrameFunctionalGroupsSequence}) {
            editGroupItems(d, groups, (i, item) -> {
                for (Attribute a : new ArrayList<>(item.values())) {
                    AttributeList macro = a instanceof SequenceAttribute sq && sq.getNumberOfItems() > 0
                            ? sq.getItem(0).getAttributeList() : null;
                    Attribute frameType = macro == null ? null : macro.get(FRAME_TYPE);
                    String[] v = frameType == null ? null : frameType.getStringValues();
                    if (v == null || v.length == 0) continue;
                    AttributeList newMacro = new AttributeList();
                    newMacro.putAll(macro);
                    v = v.clone();
                    v[0] = "DERIVED";
                    set(newMacro, FRAME_TYPE, v);
                    item.put(sequenceOf(a.getTag(), newMacro));
                }
            });
        }
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
        return sequenceOf(tag, new CodedSequenceItem(code[0], code[1], code[2]).getAttributeList());
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
