package org.diffdenoise.dicom.pixelmed;

import static org.diffdenoise.dicom.pixelmed.NewAttributes.sequenceOf;
import static org.diffdenoise.dicom.pixelmed.NewAttributes.set;

import java.util.ArrayList;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

/**
 * The shared and per-frame functional groups of an enhanced multi-frame derived instance. Their items are the
 * source's (a shallow copy shares them), so every change goes into copies of the items.
 */
final class FunctionalGroups {
    /** Both functional group sequences, shared first. */
    static final AttributeTag[] BOTH = {TagFromName.SharedFunctionalGroupsSequence,
            TagFromName.PerFrameFunctionalGroupsSequence};
    private static final AttributeTag FRAME_TYPE = new AttributeTag(0x0008, 0x9007);  // not in PixelMed's TagFromName

    /** Edits one item of a functional group sequence; {@code index} counts from 0. */
    interface ItemEditor {
        void edit(int index, AttributeList item) throws DicomException;
    }

    /** Tests one item of a functional group sequence. */
    interface ItemTest {
        boolean test(AttributeList item);
    }

    private FunctionalGroups() {
    }

    /**
     * Replaces the functional group sequence {@code groups} of {@code d} (if present) by copies of its items, each
     * passed to {@code editor}: shallow copies, so the source's items stay as they are as long as the editor puts new
     * macros rather than changing the ones it finds.
     */
    static void edit(AttributeList d, AttributeTag groups, ItemEditor editor) throws DicomException {
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

    /** True when some item of the functional group sequence {@code groups} of {@code d} passes {@code test}. */
    static boolean anyItem(AttributeList d, AttributeTag groups, ItemTest test) {
        if (!(d.get(groups) instanceof SequenceAttribute seq)) return false;
        for (int i = 0; i < seq.getNumberOfItems(); i++) {
            if (test.test(seq.getItem(i).getAttributeList())) return true;
        }
        return false;
    }

    /** True when some per-frame item holds the functional group macro {@code macro}. */
    static boolean perFrameHas(AttributeList d, AttributeTag macro) {
        return anyItem(d, TagFromName.PerFrameFunctionalGroupsSequence, item -> item.get(macro) != null);
    }

    /** The number of per-frame items, or -1 without a Per-frame Functional Groups Sequence. */
    static int perFrameItems(AttributeList d) {
        return d.get(TagFromName.PerFrameFunctionalGroupsSequence) instanceof SequenceAttribute perFrame
                ? perFrame.getNumberOfItems() : -1;
    }

    /**
     * Enhanced objects describe each frame in a frame-type macro (MR/CT Image Frame Type and the like, holding Frame
     * Type): its value 1 becomes DERIVED, as the Image Type's does.
     */
    static void deriveFrameTypes(AttributeList d) throws DicomException {
        for (AttributeTag groups : BOTH) {
            edit(d, groups, (i, item) -> {
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
}
