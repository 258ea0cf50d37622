package org.diffdenoise.dicom.pixelmed;

import static org.diffdenoise.dicom.pixelmed.NewAttributes.codeSequence;
import static org.diffdenoise.dicom.pixelmed.NewAttributes.sequenceOf;
import static org.diffdenoise.dicom.pixelmed.NewAttributes.set;

import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DateTimeAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import org.diffdenoise.dicom.Code;
import org.diffdenoise.dicom.DerivationCodes;
import org.diffdenoise.dicom.Provenance;
import org.diffdenoise.dicom.SourceImageRef;

/**
 * How a derived instance came about: Derivation Description and Derivation Code Sequence, the Source Image Sequence
 * (top level, or per frame in the Derivation Image functional group of enhanced objects), the Referenced Series
 * Sequence and this software as Contributing Equipment.
 */
final class DerivationModule {
    private static final AttributeTag CONTRIBUTION_DATE_TIME = new AttributeTag(0x0018, 0xA002);
    private static final AttributeTag SOURCE_IMAGE_EVIDENCE_SEQUENCE = new AttributeTag(0x0008, 0x9154);

    private DerivationModule() {
    }

    /**
     * Describes the derivation of {@code d} from {@code source}: {@code sources} holds one reference per frame of
     * {@code d}, in frame order. A local code (coding scheme designator 99...) is given only where a code is
     * required (the Derivation Image functional group); at the top level the description says it in words.
     */
    static void apply(AttributeList d, AttributeList source, String description, Code code,
                      List<SourceImageRef> sources) throws DicomException {
        boolean localCode = code.scheme().startsWith("99");
        if (FunctionalGroups.perFrameItems(d) == sources.size()) {
            perFrame(d, description, code, sources);
            d.put(sourceImageEvidence(source, sources.get(0)));
        } else {
            set(d, TagFromName.DerivationDescription, description);
            if (!localCode) d.put(codeSequence(TagFromName.DerivationCodeSequence, code));
            SequenceAttribute items = new SequenceAttribute(TagFromName.SourceImageSequence);
            for (SourceImageRef ref : sources) items.addItem(sourceImageItem(ref));
            d.put(items);
        }
    }

    /** One Source Image Sequence item: the reference and its purpose. */
    private static AttributeList sourceImageItem(SourceImageRef ref) throws DicomException {
        AttributeList item = new AttributeList();
        set(item, TagFromName.ReferencedSOPClassUID, ref.sopClassUid());
        set(item, TagFromName.ReferencedSOPInstanceUID, ref.sopInstanceUid());
        if (ref.frameNumber() > 0) set(item, TagFromName.ReferencedFrameNumber, Integer.toString(ref.frameNumber()));
        item.put(codeSequence(TagFromName.PurposeOfReferenceCodeSequence, DerivationCodes.SOURCE_IMAGE));
        return item;
    }

    /**
     * Enhanced multi-frame objects carry their derivation per frame, in the Derivation Image functional group
     * (required when a frame was derived): each per-frame item gets a Derivation Image Sequence with the Derivation
     * Description, a Derivation Code Sequence and that frame's Source Image Sequence item; the top-level attributes
     * of the legacy General Image module are not used.
     */
    private static void perFrame(AttributeList d, String description, Code code, List<SourceImageRef> sources)
            throws DicomException {
        FunctionalGroups.edit(d, TagFromName.PerFrameFunctionalGroupsSequence, (i, item) -> {
            AttributeList derivation = new AttributeList();
            set(derivation, TagFromName.DerivationDescription, description);
            derivation.put(codeSequence(TagFromName.DerivationCodeSequence, code));
            derivation.put(sequenceOf(TagFromName.SourceImageSequence, sourceImageItem(sources.get(i))));
            item.put(sequenceOf(TagFromName.DerivationImageSequence, derivation));
        });
        d.remove(TagFromName.DerivationDescription);
        d.remove(TagFromName.DerivationCodeSequence);
        d.remove(TagFromName.SourceImageSequence);
    }

    /** Source Image Evidence Sequence (required with a Derivation Image functional group): the source instance. */
    private static SequenceAttribute sourceImageEvidence(AttributeList source, SourceImageRef ref) throws DicomException {
        AttributeList instance = new AttributeList();
        set(instance, TagFromName.ReferencedSOPClassUID, ref.sopClassUid());
        set(instance, TagFromName.ReferencedSOPInstanceUID, ref.sopInstanceUid());
        AttributeList series = new AttributeList();
        set(series, TagFromName.SeriesInstanceUID, Headers.string(source, TagFromName.SeriesInstanceUID));
        series.put(sequenceOf(TagFromName.ReferencedSOPSequence, instance));
        AttributeList study = new AttributeList();
        set(study, TagFromName.StudyInstanceUID, Headers.string(source, TagFromName.StudyInstanceUID));
        study.put(sequenceOf(TagFromName.ReferencedSeriesSequence, series));
        return sequenceOf(SOURCE_IMAGE_EVIDENCE_SEQUENCE, study);
    }

    /** Referenced Series Sequence: the source series and all its instances. */
    static SequenceAttribute referencedSeries(String seriesInstanceUid, List<SourceImageRef> instances)
            throws DicomException {
        AttributeList item = new AttributeList();
        set(item, TagFromName.SeriesInstanceUID, seriesInstanceUid);
        SequenceAttribute refs = new SequenceAttribute(TagFromName.ReferencedInstanceSequence);
        for (SourceImageRef ref : instances) {
            AttributeList i = new AttributeList();
            set(i, TagFromName.ReferencedSOPClassUID, ref.sopClassUid());
            set(i, TagFromName.ReferencedSOPInstanceUID, ref.sopInstanceUid());
            refs.addItem(i);
        }
        item.put(refs);
        return sequenceOf(TagFromName.ReferencedSeriesSequence, item);
    }

    /** The source's Contributing Equipment items, then this software as Modifying Equipment at {@code dateTime}. */
    static SequenceAttribute contributingEquipment(AttributeList source, Provenance p, String dateTime)
            throws DicomException {
        SequenceAttribute seq = new SequenceAttribute(TagFromName.ContributingEquipmentSequence);
        if (source.get(TagFromName.ContributingEquipmentSequence) instanceof SequenceAttribute old) {
            for (int i = 0; i < old.getNumberOfItems(); i++) seq.addItem(old.getItem(i).getAttributeList());
        }
        AttributeList item = new AttributeList();
        set(item, TagFromName.Manufacturer, p.softwareName());
        set(item, TagFromName.ManufacturerModelName, p.softwareName());
        set(item, TagFromName.SoftwareVersions, p.softwareVersion());
        Attribute when = new DateTimeAttribute(CONTRIBUTION_DATE_TIME);
        when.addValue(dateTime);
        item.put(when);
        String what = "Denoised: " + p.method() + " with model " + p.modelName() + " " + p.modelVersion();
        set(item, TagFromName.ContributionDescription, what.length() <= 1024 ? what : what.substring(0, 1024));
        item.put(codeSequence(TagFromName.PurposeOfReferenceCodeSequence, DerivationCodes.MODIFYING_EQUIPMENT));
        seq.addItem(item);
        return seq;
    }
}
