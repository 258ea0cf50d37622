package org.diffdenoise.dicom.pixelmed;

import java.nio.file.Path;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import org.diffdenoise.dicom.SliceGeometry;
import org.diffdenoise.dicom.StoredEncoding;

/** Reading typed values, geometry and pixel encoding out of a PixelMed AttributeList. */
final class Headers {
    static final AttributeTag SHARED_FUNCTIONAL_GROUPS = TagFromName.SharedFunctionalGroupsSequence;
    static final AttributeTag PER_FRAME_FUNCTIONAL_GROUPS = TagFromName.PerFrameFunctionalGroupsSequence;

    private Headers() {
    }

    static String string(AttributeList l, AttributeTag t) {
        return Attribute.getSingleStringValueOrEmptyString(l, t).trim();
    }

    static int integer(AttributeList l, AttributeTag t, int dflt) {
        String s = string(l, t);
        if (s.isEmpty()) {
            return dflt;
        }
        try {
            return (int) Math.round(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    static double decimal(AttributeList l, AttributeTag t, double dflt) {
        String s = string(l, t);
        if (s.isEmpty()) {
            return dflt;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** All values of a numeric attribute, or null when absent or not of the expected count. */
    static double[] doubles(AttributeList l, AttributeTag t, int expected) {
        if (l == null) {
            return null;
        }
        Attribute a = l.get(t);
        if (a == null || a.getVM() != expected) {
            return null;
        }
        try {
            return a.getDoubleValues();
        } catch (Exception e) {
            return null;
        }
    }

    static int frames(AttributeList l) {
        return Math.max(1, integer(l, TagFromName.NumberOfFrames, 1));
    }

    /** First item of a sequence nested in a functional-group item, or null. */
    static AttributeList macro(AttributeList groupItem, AttributeTag sequence) {
        if (groupItem == null) {
            return null;
        }
        Attribute a = groupItem.get(sequence);
        if (a instanceof SequenceAttribute s && s.getNumberOfItems() > 0) {
            return s.getItem(0).getAttributeList();
        }
        return null;
    }

    static AttributeList functionalGroupItem(AttributeList l, AttributeTag sequence, int index) {
        Attribute a = l.get(sequence);
        if (a instanceof SequenceAttribute s && s.getNumberOfItems() > index) {
            return s.getItem(index).getAttributeList();
        }
        return null;
    }

    /**
     * Geometry of one frame (1-based; 0 for single-frame): from the per-frame then shared functional groups of
     * enhanced multi-frame objects, else the top-level Image Plane attributes.
     */
    static SliceGeometry geometry(AttributeList l, Path file, int frame) {
        AttributeList perFrame = frame > 0 ? functionalGroupItem(l, PER_FRAME_FUNCTIONAL_GROUPS, frame - 1) : null;
        AttributeList shared = functionalGroupItem(l, SHARED_FUNCTIONAL_GROUPS, 0);
        double[] ipp = first(doubles(macro(perFrame, TagFromName.PlanePositionSequence), TagFromName.ImagePositionPatient, 3),
                doubles(macro(shared, TagFromName.PlanePositionSequence), TagFromName.ImagePositionPatient, 3),
                doubles(l, TagFromName.ImagePositionPatient, 3));
        double[] iop = first(doubles(macro(perFrame, TagFromName.PlaneOrientationSequence), TagFromName.ImageOrientationPatient, 6),
                doubles(macro(shared, TagFromName.PlaneOrientationSequence), TagFromName.ImageOrientationPatient, 6),
                doubles(l, TagFromName.ImageOrientationPatient, 6));
        AttributeList measures = first(macro(perFrame, TagFromName.PixelMeasuresSequence), macro(shared, TagFromName.PixelMeasuresSequence));
        // Imager Pixel Spacing (projection radiography) is the closest available when Pixel Spacing is absent.
        double[] spacing = first(doubles(measures, TagFromName.PixelSpacing, 2), doubles(l, TagFromName.PixelSpacing, 2),
                doubles(l, TagFromName.ImagerPixelSpacing, 2));
        double thickness = measures != null && measures.get(TagFromName.SliceThickness) != null
                ? decimal(measures, TagFromName.SliceThickness, Double.NaN) : decimal(l, TagFromName.SliceThickness, Double.NaN);
        return new SliceGeometry(file, frame, string(l, TagFromName.SOPClassUID), string(l, TagFromName.SOPInstanceUID),
                integer(l, TagFromName.InstanceNumber, Integer.MIN_VALUE), ipp, iop, spacing, thickness);
    }

    /**
     * Pixel encoding and rescale of one frame (1-based; 0 for a single-frame image): Rescale Slope/Intercept from the
     * frame's Pixel Value Transformation functional group, else the shared one, else the top-level attributes (enhanced
     * MR and CT may give each frame its own rescale); slope 1, intercept 0 when absent.
     */
    static StoredEncoding encoding(AttributeList l, int frame) {
        int allocated = integer(l, TagFromName.BitsAllocated, 16);
        int stored = integer(l, TagFromName.BitsStored, allocated);
        int high = integer(l, TagFromName.HighBit, stored - 1);
        boolean signed = integer(l, TagFromName.PixelRepresentation, 0) == 1;
        AttributeList perFrame = macro(functionalGroupItem(l, PER_FRAME_FUNCTIONAL_GROUPS, Math.max(0, frame - 1)),
                TagFromName.PixelValueTransformationSequence);
        AttributeList shared = macro(functionalGroupItem(l, SHARED_FUNCTIONAL_GROUPS, 0), TagFromName.PixelValueTransformationSequence);
        AttributeList src = hasRescale(perFrame) ? perFrame : hasRescale(shared) ? shared : l;
        double slope = decimal(src, TagFromName.RescaleSlope, 1.0);
        double intercept = decimal(src, TagFromName.RescaleIntercept, 0.0);
        return new StoredEncoding(allocated, stored, high, signed, slope, intercept,
                string(l, TagFromName.PhotometricInterpretation));
    }

    private static boolean hasRescale(AttributeList transform) {
        return transform != null && transform.get(TagFromName.RescaleSlope) != null;
    }

    @SafeVarargs
    private static <T> T first(T... options) {
        for (T t : options) {
            if (t != null) {
                return t;
            }
        }
        return null;
    }
}
