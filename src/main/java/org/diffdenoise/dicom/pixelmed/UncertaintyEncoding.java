package org.diffdenoise.dicom.pixelmed;

import static org.diffdenoise.dicom.pixelmed.NewAttributes.decimalString;
import static org.diffdenoise.dicom.pixelmed.NewAttributes.sequenceOf;
import static org.diffdenoise.dicom.pixelmed.NewAttributes.set;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

import org.diffdenoise.dicom.StoredEncoding;

/**
 * Pixel encoding, modality rescale and display window of an uncertainty instance (Image Pixel, Modality LUT and VOI
 * LUT modules, or the Pixel Value Transformation and Frame VOI LUT functional groups of enhanced objects).
 */
final class UncertaintyEncoding {
    private static final AttributeTag MODALITY_LUT_SEQUENCE = new AttributeTag(0x0028, 0x3000);

    private UncertaintyEncoding() {
    }

    /**
     * 16-bit unsigned MONOCHROME2 with its own Rescale Slope (intercept 0) and a window from 0 to the 99.5th
     * percentile; the source's VOI LUT, Modality LUT and presentation inversion do not apply to standard deviations.
     * Enhanced multi-frame sources get the same values in their Pixel Value Transformation and Frame VOI LUT
     * functional groups.
     */
    static void apply(AttributeList d, DerivedInstanceFactory.Uncertainty u) throws DicomException {
        StoredEncoding e = u.encoding();
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
        boolean pvtPerFrame = FunctionalGroups.perFrameHas(d, TagFromName.PixelValueTransformationSequence);
        boolean voiPerFrame = FunctionalGroups.perFrameHas(d, TagFromName.FrameVOILUTSequence);
        for (AttributeTag groups : FunctionalGroups.BOTH) {
            boolean shared = groups.equals(TagFromName.SharedFunctionalGroupsSequence);
            FunctionalGroups.edit(d, groups, (i, item) -> {
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
}
