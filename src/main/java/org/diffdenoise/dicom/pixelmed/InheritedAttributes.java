package org.diffdenoise.dicom.pixelmed;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;

/**
 * What a derived instance inherits from its source: everything (patient, study, frame of reference, geometry, pixel
 * encoding) except what no longer applies to new pixels in a new file.
 */
final class InheritedAttributes {
    // not in PixelMed's TagFromName
    private static final AttributeTag SMALLEST_PIXEL_VALUE_IN_SERIES = new AttributeTag(0x0028, 0x0108);
    private static final AttributeTag LARGEST_PIXEL_VALUE_IN_SERIES = new AttributeTag(0x0028, 0x0109);

    /** Replaced by the derived instance's own values, or describing the old pixels only. */
    private static final AttributeTag[] STALE = {TagFromName.PixelData, TagFromName.IconImageSequence,
            TagFromName.PixelPaddingValue, TagFromName.PixelPaddingRangeLimit,
            TagFromName.SmallestImagePixelValue, TagFromName.LargestImagePixelValue,
            SMALLEST_PIXEL_VALUE_IN_SERIES, LARGEST_PIXEL_VALUE_IN_SERIES,
            TagFromName.DataSetTrailingPadding, TagFromName.SourceImageSequence,
            TagFromName.DerivationCodeSequence, TagFromName.ReferencedSeriesSequence};

    private InheritedAttributes() {
    }

    /**
     * A shallow copy of {@code source} without file meta information, group lengths, private attributes (except
     * the vendors' description of the acquisition, {@link AcquisitionPrivateData}), stale
     * pixel-describing attributes and embedded overlays: inherited attributes are shared, never modified; changed
     * ones are replaced.
     */
    static AttributeList of(AttributeList source) {
        AttributeList d = new AttributeList();
        d.putAll(source);
        d.removeMetaInformationHeaderAttributes();
        d.removeGroupLengthAttributes();
        d.removePrivateAttributes();  // vendor private data may describe the old pixels; ours is added later
        for (com.pixelmed.dicom.Attribute a : AcquisitionPrivateData.of(source)) d.put(a);  // but not these
        for (AttributeTag t : STALE) {
            d.remove(t);
        }
        removeEmbeddedOverlays(d);
        return d;
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
}
