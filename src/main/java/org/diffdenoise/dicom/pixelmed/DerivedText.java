package org.diffdenoise.dicom.pixelmed;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.StringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.ValueRepresentation;

/**
 * Fixes the bytes of every text attribute of a derived instance before it is written (see docs/dicom.md, "Character
 * sets"): text copied from the source keeps its bytes, new text is encoded in the source's Specific Character Set
 * (ISO 2022 code extensions included). Only when new text has a character no declared set holds does the instance
 * switch to ISO_IR 192 (UTF-8), every text re-encoded from its decoded value, and that only when the source's text
 * decoded without loss; otherwise such characters of the new text become '?'.
 */
final class DerivedText {
    /** How the text of one instance is written. */
    enum Mode {
        /** the source's set: copied text as read, new text encoded in it */
        KEEP,
        /** ISO_IR 192: all text encoded as UTF-8 */
        UTF8,
        /** the source's set; characters of new text it cannot hold become '?' */
        REPLACE
    }

    private DerivedText() {
    }

    /**
     * Replaces each text attribute of {@code derived} (and of its sequence items, which are copied, never changed in
     * place) by one holding its final bytes; {@code source} is the header it was derived from, whose attribute
     * objects {@code derived} shares where it copied them. Returns what was done.
     */
    static Mode encode(AttributeList derived, AttributeList source) throws DicomException {
        Set<Attribute> inherited = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(source, inherited);
        TextEncoding top = encodingOf(derived, TextEncoding.of(null));
        Check c = new Check();
        check(derived, top, inherited, c);
        Mode mode = c.newTextFits ? Mode.KEEP : c.sourceLossless ? Mode.UTF8 : Mode.REPLACE;
        rewrite(derived, top, inherited, mode, source);
        if (mode == Mode.UTF8 && derived.get(TagFromName.SpecificCharacterSet) == null) {
            CodeStringAttribute cs = new CodeStringAttribute(TagFromName.SpecificCharacterSet);
            cs.addValue("ISO_IR 192");
            derived.put(cs);
        }
        return mode;
    }

    /** JSON with every non-ASCII character as a \\uXXXX escape: the same JSON, in bytes every character set holds. */
    static String asciiJson(String json) {
        StringBuilder sb = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char ch = json.charAt(i);
            if (ch < 0x80) sb.append(ch);
            else sb.append(String.format("\\u%04x", (int) ch));
        }
        return sb.toString();
    }

    private static final class Check {
        boolean newTextFits = true;
        boolean sourceLossless = true;
    }

    private static boolean isText(Attribute a) {
        return !(a instanceof SequenceAttribute) && ValueRepresentation.isAffectedBySpecificCharacterSet(a.getVR());
    }

    private static void collect(AttributeList l, Set<Attribute> into) {
        for (Attribute a : l.values()) {
            into.add(a);
            if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) collect(s.getItem(i).getAttributeList(), into);
            }
        }
    }

    /** The set in force in {@code l}: its own Specific Character Set, else the enclosing dataset's. */
    private static TextEncoding encodingOf(AttributeList l, TextEncoding enclosing) throws DicomException {
        Attribute cs = l.get(TagFromName.SpecificCharacterSet);
        return cs == null ? enclosing : TextEncoding.of(cs.getStringValues());
    }

    private static void check(AttributeList l, TextEncoding enc, Set<Attribute> inherited, Check c) throws DicomException {
        for (Attribute a : l.values()) {
            if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) {
                    AttributeList item = s.getItem(i).getAttributeList();
                    check(item, encodingOf(item, enc), inherited, c);
                }
            } else if (isText(a)) {
                String[] v = values(a);
                if (inherited.contains(a)) {
                    boolean lossy = !enc.known() || String.join("", v).indexOf('\uFFFD') >= 0
                            || enc.defaultRepertoire() && !asciiBytes(a.getByteValues()) || bytes(a, v, enc) == null;
                    if (lossy) c.sourceLossless = false;
                } else if (bytes(a, v, enc) == null) {
                    c.newTextFits = false;
                }
            }
        }
    }

    private static void rewrite(AttributeList l, TextEncoding enc, Set<Attribute> inherited, Mode mode,
                                AttributeList sourceLevel) throws DicomException {
        List<Attribute> replaced = new ArrayList<>();
        for (Attribute a : l.values()) {
            AttributeTag tag = a.getTag();
            if (a instanceof SequenceAttribute s) {
                SequenceAttribute copy = new SequenceAttribute(tag);
                for (int i = 0; i < s.getNumberOfItems(); i++) {
                    AttributeList item = new AttributeList();
                    item.putAll(s.getItem(i).getAttributeList());
                    rewrite(item, encodingOf(item, enc), inherited, mode, null);
                    copy.addItem(item);
                }
                replaced.add(copy);
            } else if (mode == Mode.UTF8 && tag.equals(TagFromName.SpecificCharacterSet)) {
                CodeStringAttribute cs = new CodeStringAttribute(tag);
                cs.addValue("ISO_IR 192");
                replaced.add(cs);
            } else if (isText(a)) {
                String[] v = values(a);
                TextEncoding target = mode == Mode.UTF8 ? TextEncoding.utf8() : enc;
                byte[] b;
                if (mode != Mode.UTF8 && inherited.contains(a)) {
                    b = inheritedBytes(a, v, enc);
                } else {
                    b = bytes(a, v, target);
                    if (b == null && mode != Mode.UTF8) b = extendedSourceValue(a, v, enc, sourceLevel);
                    // what no set holds (a lone surrogate, say) is replaced rather than failing the series
                    if (b == null) b = bytes(a, replaceUnencodable(v, target, isPersonName(a)), target);
                }
                if (b == null) throw new DicomException("cannot encode " + tag + " in " + target);
                replaced.add(new EncodedTextAttribute(tag, a.getVR(), b, v));
            }
        }
        for (Attribute a : replaced) l.put(a);
    }

    /**
     * A new value that extends the source's value of the same attribute (the Series Description with our suffix)
     * as the source's bytes plus the encoded extension: exact even when the source's own bytes could not be decoded
     * (an undeclared or unknown character set). Null when it does not apply.
     */
    private static byte[] extendedSourceValue(Attribute a, String[] v, TextEncoding enc, AttributeList sourceLevel)
            throws DicomException {
        if (sourceLevel == null || v.length != 1) return null;
        Attribute old = sourceLevel.get(a.getTag());
        if (old == null || old.getVM() != 1) return null;
        String oldValue = old.getStringValues()[0];
        if (oldValue.isEmpty() || !v[0].startsWith(oldValue)) return null;
        byte[] oldBytes = old.getByteValues();
        int n = oldBytes.length;
        while (n > 0 && (oldBytes[n - 1] == ' ' || oldBytes[n - 1] == 0)) n--;
        byte[] rest = enc.encode(v[0].substring(oldValue.length()), isPersonName(a));
        if (rest == null) return null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(oldBytes, 0, n);
        out.writeBytes(rest);
        return out.toByteArray();
    }

    private static String[] replaceUnencodable(String[] v, TextEncoding enc, boolean personName) {
        String[] r = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            StringBuilder sb = new StringBuilder();
            v[i].codePoints().forEach(cp -> {
                String ch = new String(Character.toChars(cp));
                sb.append(enc.encode(ch, personName) == null ? "?" : ch);
            });
            r[i] = sb.toString();
        }
        return r;
    }

    private static boolean isPersonName(Attribute a) {
        return ValueRepresentation.isPersonNameVR(a.getVR());
    }

    private static boolean singleValuedText(Attribute a) {
        byte[] vr = a.getVR();
        return ValueRepresentation.isShortTextVR(vr) || ValueRepresentation.isLongTextVR(vr)
                || ValueRepresentation.isUnlimitedTextVR(vr);
    }

    private static String[] values(Attribute a) throws DicomException {
        String[] v = a instanceof StringAttribute ? a.getOriginalStringValues() : a.getStringValues();
        return v == null ? new String[0] : v;
    }

    /**
     * The bytes of a copied attribute: as read for SH, LO, PN, UC; PixelMed keeps no bytes of ST, LT, UT, so those
     * are encoded again from their decoded value (as PixelMed itself would, where that fails).
     */
    private static byte[] inheritedBytes(Attribute a, String[] v, TextEncoding enc) throws DicomException {
        if (a instanceof StringAttribute) return a.getByteValues();
        byte[] b = bytes(a, v, enc);
        return b != null ? b : a.getByteValues();
    }

    /** The value field for {@code values} in {@code enc} ('\' between values), or null if a character does not fit. */
    private static byte[] bytes(Attribute a, String[] values, TextEncoding enc) {
        boolean pn = isPersonName(a);
        if (singleValuedText(a)) return enc.encode(String.join("\\", values), false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) out.write('\\');
            byte[] b = enc.encode(values[i], pn);
            if (b == null) return null;
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static boolean asciiBytes(byte[] b) {
        if (b == null) return true;
        for (byte x : b) if (x < 0) return false;
        return true;
    }
}
