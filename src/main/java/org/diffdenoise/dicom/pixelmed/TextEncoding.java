package org.diffdenoise.dicom.pixelmed;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes text values in a Specific Character Set (0008,0005) as PS3.5 section 6.1 defines it, ISO 2022 code
 * extensions included: PixelMed writes characters of ISO 2022 multi-byte sets as '?', so derived text is encoded here.
 * Values of an unknown term encode only when they are ASCII (every defined set but ISO_IR 13 holds ASCII).
 */
final class TextEncoding {
    /** One ISO 2022 code element: the escape sequence that designates it into G0 or G1, and how it encodes. */
    private record Element(String term, boolean g1, byte[] escape, Charset charset, Kind kind) {
    }

    /** How an element's characters are taken from a Java charset's bytes. */
    private enum Kind {
        /** US-ASCII, G0. */
        ASCII,
        /** a single byte below 0x80 (JIS X 0201 Romaji in G0). */
        SINGLE_LOW,
        /** a single byte from 0xA0 (upper half of ISO 8859, TIS 620, JIS X 0201 Katakana in G1). */
        SINGLE_HIGH,
        /** JIS X 0208 in G0: the two EUC-JP bytes without their high bit. */
        JIS0208,
        /** JIS X 0212 in G0: EUC-JP's 0x8F-prefixed bytes without the prefix and the high bit. */
        JIS0212,
        /** two bytes from 0xA1 in G1 (KS X 1001 as EUC-KR, GB 2312 as EUC-CN). */
        DOUBLE_HIGH
    }

    private static final Element IR6 = element("ISO 2022 IR 6", false, "(B", "US-ASCII", Kind.ASCII);
    private static final Map<String, List<Element>> ISO2022 = Map.ofEntries(
            Map.entry("ISO 2022 IR 6", List.of(IR6)),
            Map.entry("ISO 2022 IR 13", List.of(element("ISO 2022 IR 13", true, ")I", "JIS_X0201", Kind.SINGLE_HIGH),
                    element("ISO 2022 IR 13", false, "(J", "JIS_X0201", Kind.SINGLE_LOW))),
            latin("ISO 2022 IR 100", "-A", "ISO-8859-1"),
            latin("ISO 2022 IR 101", "-B", "ISO-8859-2"),
            latin("ISO 2022 IR 109", "-C", "ISO-8859-3"),
            latin("ISO 2022 IR 110", "-D", "ISO-8859-4"),
            latin("ISO 2022 IR 144", "-L", "ISO-8859-5"),
            latin("ISO 2022 IR 127", "-G", "ISO-8859-6"),
            latin("ISO 2022 IR 126", "-F", "ISO-8859-7"),
            latin("ISO 2022 IR 138", "-H", "ISO-8859-8"),
            latin("ISO 2022 IR 148", "-M", "ISO-8859-9"),
            latin("ISO 2022 IR 203", "-b", "ISO-8859-15"),
            latin("ISO 2022 IR 166", "-T", "TIS-620"),
            Map.entry("ISO 2022 IR 87", List.of(element("ISO 2022 IR 87", false, "$B", "EUC-JP", Kind.JIS0208))),
            Map.entry("ISO 2022 IR 159", List.of(element("ISO 2022 IR 159", false, "$(D", "EUC-JP", Kind.JIS0212))),
            Map.entry("ISO 2022 IR 149", List.of(element("ISO 2022 IR 149", true, "$)C", "EUC-KR", Kind.DOUBLE_HIGH))),
            Map.entry("ISO 2022 IR 58", List.of(element("ISO 2022 IR 58", true, "$)A", "GB2312", Kind.DOUBLE_HIGH))));

    /** Single-valued defined terms without code extensions, and their Java charsets. */
    private static final Map<String, String> PLAIN = Map.ofEntries(
            Map.entry("", "US-ASCII"), Map.entry("ISO_IR 6", "US-ASCII"),
            Map.entry("ISO_IR 100", "ISO-8859-1"), Map.entry("ISO_IR 101", "ISO-8859-2"),
            Map.entry("ISO_IR 109", "ISO-8859-3"), Map.entry("ISO_IR 110", "ISO-8859-4"),
            Map.entry("ISO_IR 144", "ISO-8859-5"), Map.entry("ISO_IR 127", "ISO-8859-6"),
            Map.entry("ISO_IR 126", "ISO-8859-7"), Map.entry("ISO_IR 138", "ISO-8859-8"),
            Map.entry("ISO_IR 148", "ISO-8859-9"), Map.entry("ISO_IR 203", "ISO-8859-15"),
            Map.entry("ISO_IR 166", "TIS-620"), Map.entry("ISO_IR 13", "JIS_X0201"),
            Map.entry("ISO_IR 192", "UTF-8"), Map.entry("GB18030", "GB18030"), Map.entry("GBK", "GBK"));

    /** The declared values, as written. */
    private final List<String> terms;
    /** Without code extensions: the one charset; null for ISO 2022 or an unknown term. */
    private final Charset plain;
    /** With code extensions: the declared elements, value 1's first; null otherwise. */
    private final List<Element> elements;
    /** G0 and G1 in force at the start of each value and after each delimiter (G1 may be null). */
    private final Element initialG0, initialG1;
    private final boolean known;

    private TextEncoding(List<String> terms) {
        this.terms = List.copyOf(terms);
        boolean extensions = terms.size() > 1 || terms.get(0).startsWith("ISO 2022");
        Charset cs = null;
        List<Element> els = null;
        boolean ok = true;
        if (!extensions) {
            String name = PLAIN.get(terms.get(0));
            ok = name != null && Charset.isSupported(name);
            cs = ok ? Charset.forName(name) : null;
        } else {
            els = new ArrayList<>();
            for (int i = 0; i < terms.size(); i++) {
                String t = terms.get(i);
                List<Element> e = t.isEmpty() && i == 0 ? List.of(IR6) : ISO2022.get(t);
                if (e == null || e.stream().anyMatch(x -> x.charset() == null)) {
                    ok = false;
                    break;
                }
                els.addAll(e);
            }
        }
        this.known = ok;
        this.plain = cs;
        this.elements = ok && els != null ? List.copyOf(els) : null;
        Element g0 = IR6, g1 = null;
        if (this.elements != null) {
            // value 1 names the elements in force at the start of each value
            String first = terms.get(0);
            for (Element e : this.elements) {
                if (!e.term().equals(first.isEmpty() ? IR6.term() : first)) continue;
                if (e.g1()) g1 = e;
                else g0 = e;
            }
        }
        this.initialG0 = g0;
        this.initialG1 = g1;
    }

    /** The encoding declared by the values of Specific Character Set; none or empty: the default repertoire. */
    static TextEncoding of(String[] specificCharacterSet) {
        List<String> t = new ArrayList<>();
        if (specificCharacterSet != null) {
            for (String s : specificCharacterSet) t.add(s == null ? "" : s.trim());
        }
        while (t.size() > 1 && t.get(t.size() - 1).isEmpty()) t.remove(t.size() - 1);
        if (t.isEmpty()) t.add("");
        return new TextEncoding(t);
    }

    /** UTF-8, the set a dataset switches to when new text fits no declared set. */
    static TextEncoding utf8() {
        return new TextEncoding(List.of("ISO_IR 192"));
    }

    /** False when a term is not one PS3.3 C.12.1.1.2 defines (then only ASCII text is encoded). */
    boolean known() {
        return known;
    }

    /** The declared values. */
    List<String> terms() {
        return terms;
    }

    /** Whether the set holds only the default repertoire (no term, or an empty one). */
    boolean defaultRepertoire() {
        return terms.size() == 1 && (terms.get(0).isEmpty() || terms.get(0).equals("ISO_IR 6"));
    }

    /**
     * The bytes of one value (no '\' value delimiter in it), or null when a character has no code in the declared
     * sets. {@code personName}: '^' and '=' are delimiters, before which ISO 2022 text returns to value 1's sets.
     */
    byte[] encode(String value, boolean personName) {
        if (plain != null) return encodeWhole(plain, value);
        if (elements == null) return isAscii(value) ? value.getBytes(StandardCharsets.US_ASCII) : null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Element g0 = initialG0, g1 = initialG1;
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\r' || c == '\n' || c == '\t' || c == '\f' || personName && (c == '^' || c == '=')) {
                // PS3.5 6.1.2.5.3: value 1's sets are active again before each delimiter
                if (g0 != initialG0) out.writeBytes(initialG0.escape());
                if (g1 != initialG1 && initialG1 != null) out.writeBytes(initialG1.escape());
                g0 = initialG0;
                g1 = initialG1;
                byte[] d = encodeIn(g0, c);
                if (d == null) d = new byte[] {(byte) c};
                out.writeBytes(d);
                continue;
            }
            Element used = null;
            byte[] b = null;
            for (Element e : candidates(g0, g1)) {
                b = encodeIn(e, c);
                if (b != null) {
                    used = e;
                    break;
                }
            }
            if (used == null) return null;
            if (used.g1() && used != g1) {
                out.writeBytes(used.escape());
                g1 = used;
            } else if (!used.g1() && used != g0) {
                out.writeBytes(used.escape());
                g0 = used;
            }
            out.writeBytes(b);
        }
        if (g0 != initialG0) out.writeBytes(initialG0.escape());
        if (g1 != initialG1 && initialG1 != null) out.writeBytes(initialG1.escape());
        return out.toByteArray();
    }

    /** The elements to try for a character: those in force first (no escape needed), then value 1's, then the rest. */
    private List<Element> candidates(Element g0, Element g1) {
        List<Element> c = new ArrayList<>(elements.size() + 4);
        c.add(g0);
        if (g1 != null) c.add(g1);
        c.add(initialG0);
        if (initialG1 != null) c.add(initialG1);
        c.addAll(elements);
        return c;
    }

    /** The bytes of one character in one code element, or null. */
    private static byte[] encodeIn(Element e, int codePoint) {
        byte[] b = encodeWhole(e.charset(), new String(Character.toChars(codePoint)));
        if (b == null) return null;
        return switch (e.kind()) {
            case ASCII, SINGLE_LOW -> b.length == 1 && (b[0] & 0xFF) < 0x80 ? b : null;
            case SINGLE_HIGH -> b.length == 1 && (b[0] & 0xFF) >= 0xA0 ? b : null;
            case JIS0208 -> b.length == 2 && (b[0] & 0xFF) >= 0xA1 && (b[1] & 0xFF) >= 0xA1
                    ? new byte[] {(byte) (b[0] & 0x7F), (byte) (b[1] & 0x7F)} : null;
            case JIS0212 -> b.length == 3 && (b[0] & 0xFF) == 0x8F
                    ? new byte[] {(byte) (b[1] & 0x7F), (byte) (b[2] & 0x7F)} : null;
            case DOUBLE_HIGH -> b.length == 2 && (b[0] & 0xFF) >= 0xA1 && (b[1] & 0xFF) >= 0xA1 ? b : null;
        };
    }

    /** The whole string in one charset, or null when a character has no code there. */
    private static byte[] encodeWhole(Charset cs, String s) {
        CharsetEncoder enc = cs.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer bb = enc.encode(CharBuffer.wrap(s));
            return Arrays.copyOfRange(bb.array(), bb.arrayOffset() + bb.position(), bb.arrayOffset() + bb.limit());
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }

    private static Element element(String term, boolean g1, String escape, String charset, Kind kind) {
        byte[] esc = ("\u001b" + escape).getBytes(StandardCharsets.US_ASCII);
        return new Element(term, g1, esc, Charset.isSupported(charset) ? Charset.forName(charset) : null, kind);
    }

    private static Map.Entry<String, List<Element>> latin(String term, String escape, String charset) {
        return Map.entry(term, List.of(element(term, true, escape, charset, Kind.SINGLE_HIGH)));
    }

    @Override
    public String toString() {
        return String.join("\\", terms);
    }
}
