package org.diffdenoise.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.diffdenoise.api.ErrorText;
import org.diffdenoise.api.PrintableText;
import org.diffdenoise.dicom.SkippedFile;

/**
 * A batch run as a CSV table (RFC 4180, UTF-8, header row): one row per series, then one row per skipped file, so a
 * run over a hundred series can be checked in a spreadsheet or a script. Columns: {@link #HEADER}.
 */
public final class BatchReportCsv {
    /** The column names, in order. */
    public static final List<String> HEADER = List.of("status", "series_instance_uid", "modality", "series_number",
            "series_description", "slices", "columns", "rows", "transfer_syntax", "first_file", "output",
            "uncertainty_output", "noise_sigma_median", "device", "seconds", "message");

    private BatchReportCsv() {
    }

    /** The table as text. */
    public static String format(BatchReport report) {
        StringBuilder sb = new StringBuilder();
        row(sb, HEADER);
        for (SeriesResult r : report.results()) {
            var s = r.series();
            double sigma = r.medianNoiseSigma();
            row(sb, List.of(r.status().name(), s.seriesInstanceUid(), s.modality(), nz(s.seriesNumber()),
                    nz(s.seriesDescription()), Integer.toString(s.slices()), Integer.toString(s.columns()),
                    Integer.toString(s.rows()), nz(s.transferSyntaxName()),
                    s.files().isEmpty() ? "" : s.files().get(0).toString(), path(r.output()), path(r.uncertaintyOutput()),
                    Double.isNaN(sigma) ? "" : String.format(Locale.ROOT, "%.6g", sigma), nz(r.device()),
                    String.format(Locale.ROOT, "%.3f", r.millis() / 1000.0), nz(r.message())));
        }
        for (SkippedFile f : report.skipped()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < HEADER.size(); i++) cells.add("");
            cells.set(0, "SKIPPED");
            cells.set(HEADER.indexOf("first_file"), f.file().toString());
            cells.set(HEADER.indexOf("message"), ErrorText.clean(f.reason()));
            row(sb, cells);
        }
        return sb.toString();
    }

    /** Writes the table to {@code file}, replacing it if it exists (see {@link #write(BatchReport, Path, boolean)}). */
    public static void write(BatchReport report, Path file) throws IOException {
        write(report, file, true);
    }

    /**
     * Writes the table to {@code file} through a temporary file beside it ({@link AtomicFile}), so a reader never sees
     * half a table; an existing file is replaced only when {@code replace}.
     */
    public static void write(BatchReport report, Path file, boolean replace) throws IOException {
        String text = format(report);
        AtomicFile.write(file, replace, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    private static void row(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(quote(cells.get(i)));
        }
        sb.append("\r\n");
    }

    /**
     * RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. Before that, the cell is made
     * inert: control characters are escaped ({@link PrintableText}) and a cell that a spreadsheet would read as a
     * formula (starting with = + - @, tab or carriage return; OWASP CSV injection) gets a leading apostrophe, unless
     * it is a plain number.
     */
    static String quote(String cell) {
        String s = PrintableText.escape(neutralise(cell));
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile(
            "[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    /** A leading apostrophe for a cell a spreadsheet would evaluate (the tab/CR check before escaping them). */
    static String neutralise(String s) {
        if (s.isEmpty()) return s;
        char c = s.charAt(0);
        boolean formula = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
        return formula && !NUMBER.matcher(s).matches() ? "'" + s : s;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String path(Path p) {
        return p == null ? "" : p.toString();
    }
}
