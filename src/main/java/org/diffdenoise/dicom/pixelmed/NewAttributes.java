package org.diffdenoise.dicom.pixelmed;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;

import org.diffdenoise.dicom.Code;

/** PixelMed attributes made from typed values: the building blocks of the derived-instance modules. */
final class NewAttributes {
    private NewAttributes() {
    }

    /** Replaces an attribute with a new one (VR from the dictionary) holding the given values. */
    static void set(AttributeList l, AttributeTag tag, String... values) throws DicomException {
        l.remove(tag);
        Attribute a = l.putNewAttribute(tag);
        for (String v : values) {
            a.addValue(v);
        }
    }

    /** A sequence holding the one item. */
    static SequenceAttribute sequenceOf(AttributeTag tag, AttributeList item) {
        SequenceAttribute seq = new SequenceAttribute(tag);
        seq.addItem(item);
        return seq;
    }

    /** A code sequence holding the one code. */
    static SequenceAttribute codeSequence(AttributeTag tag, Code code) throws DicomException {
        return sequenceOf(tag, new CodedSequenceItem(code.value(), code.scheme(), code.meaning()).getAttributeList());
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
}
