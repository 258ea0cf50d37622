package org.diffdenoise.cli;

import java.io.PrintWriter;
import java.util.Locale;

import org.diffdenoise.api.PrintableText;

/**
 * A PrintWriter for the commands' own lines: every printed string and every {@code printf} argument has its control
 * characters escaped ({@link PrintableText}), so line breaks come only from the format ({@code %n}) and
 * {@code println}, never from a DICOM value or a file name.
 */
final class TerminalWriter extends PrintWriter {

    TerminalWriter(PrintWriter target) {
        super(target, true);
    }

    @Override
    public void print(String s) {
        super.print(PrintableText.escape(s));
    }

    @Override
    public void print(Object o) {
        print(String.valueOf(o));
    }

    @Override
    public PrintWriter format(String format, Object... args) {
        return super.format(format, escapeAll(args));
    }

    @Override
    public PrintWriter format(Locale l, String format, Object... args) {
        return super.format(l, format, escapeAll(args));
    }

    private static Object[] escapeAll(Object[] args) {
        if (args == null) return null;
        Object[] out = args.clone();
        for (int i = 0; i < out.length; i++)
            if (out[i] != null && !(out[i] instanceof Number) && !(out[i] instanceof Boolean) && !(out[i] instanceof Character))
                out[i] = PrintableText.escape(out[i].toString());
        return out;
    }
}
