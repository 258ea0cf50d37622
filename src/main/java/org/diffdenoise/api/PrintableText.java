package org.diffdenoise.api;

/**
 * Text from DICOM values and file names made safe to print: control characters (C0, DEL, C1: newlines, ESC starting
 * ANSI/OSC sequences, BEL ...), line and paragraph separators and bidirectional overrides are shown as visible
 * escapes, so a Series Description cannot forge log lines or drive the terminal.
 */
public final class PrintableText {
    private PrintableText() {
    }

    /** {@code s} with every unsafe character written as {@code \n}, {@code \t}, {@code \xNN} or {@code \\uNNNN}; null as "null". */
    public static String escape(String s) {
        if (s == null) return "null";
        int i = 0;
        while (i < s.length() && !unsafe(s.charAt(i))) i++;
        if (i == s.length()) return s;
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!unsafe(c)) b.append(c);
            else if (c == '\n') b.append("\\n");
            else if (c == '\r') b.append("\\r");
            else if (c == '\t') b.append("\\t");
            else if (c <= 0xFF) b.append(String.format("\\x%02x", (int) c));
            else b.append(String.format("\\u%04x", (int) c));
        }
        return b.toString();
    }

    /** True when {@code s} holds a character {@link #escape} would replace. */
    public static boolean hasUnsafe(String s) {
        if (s == null) return false;
        for (int i = 0; i < s.length(); i++) if (unsafe(s.charAt(i))) return true;
        return false;
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F)
                || c == '\u2028' || c == '\u2029'                 // line / paragraph separator
                || (c >= '\u202A' && c <= '\u202E')                // bidi embeddings and overrides
                || (c >= '\u2066' && c <= '\u2069')                // bidi isolates
                || c == '\u200E' || c == '\u200F' || c == '\u061C'; // direction marks
    }
}
