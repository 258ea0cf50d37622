package org.diffdenoise.dicom.pixelmed;

import static org.diffdenoise.dicom.pixelmed.NewAttributes.decimalString;
import static org.diffdenoise.dicom.pixelmed.NewAttributes.sequenceOf;
import static org.diffdenoise.dicom.pixelmed.NewAttributes.set;

import java.util.function.Supplier;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

/** The display window (VOI LUT module, Frame VOI LUT functional group) of a derived instance. */
final class DisplayWindows {
    private DisplayWindows() {
    }

    /**
     * Replaces a display window whose width is below 1 (DICOM requires at least 1; some scanners and converters write
     * 0, which viewers show as a blank or black image) by {@code fallbackWindow} ({center, width} in modality units,
     * or null), at the top level and in Frame VOI LUT functional groups. Valid windows are kept as the source had
     * them.
     */
    static void repair(AttributeList d, Supplier<double[]> fallbackWindow) throws DicomException {
        boolean top = invalidWindow(d);
        boolean inGroups = false;
        for (AttributeTag g : FunctionalGroups.BOTH) {
            inGroups |= FunctionalGroups.anyItem(d, g, item -> invalidFrameVoi(item) != null);
        }
        if (!top && !inGroups) return;
        double[] fallback = fallbackWindow.get();
        if (fallback == null) return;
        String center = decimalString(fallback[0]);
        String width = decimalString(Math.max(1, fallback[1]));
        if (top) {
            d.remove(TagFromName.WindowCenterWidthExplanation);
            set(d, TagFromName.WindowCenter, center);
            set(d, TagFromName.WindowWidth, width);
        }
        for (AttributeTag groups : FunctionalGroups.BOTH) {
            if (!FunctionalGroups.anyItem(d, groups, item -> invalidFrameVoi(item) != null)) continue;
            FunctionalGroups.edit(d, groups, (i, item) -> {
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
}
