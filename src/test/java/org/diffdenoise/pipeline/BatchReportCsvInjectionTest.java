package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** CSV cells a spreadsheet would evaluate are made inert (OWASP CSV injection); numbers stay numbers. */
class BatchReportCsvInjectionTest {

    @Test
    void formulaCellsGetAnApostropheAndControlCharactersAreEscaped() {
        assertEquals("'=1+2", BatchReportCsv.quote("=1+2"));
        assertEquals("'+cmd", BatchReportCsv.quote("+cmd"));
        assertEquals("'-2+3", BatchReportCsv.quote("-2+3"));
        assertEquals("'@SUM(A1)", BatchReportCsv.quote("@SUM(A1)"));
        assertEquals("'\\tx", BatchReportCsv.quote("\tx"));
        assertEquals("\"'=HYPERLINK(\"\"http://x\"\")\\n\"", BatchReportCsv.quote("=HYPERLINK(\"http://x\")\n"));
        assertEquals("-1000", BatchReportCsv.quote("-1000"));
        assertEquals("-2.5e-3", BatchReportCsv.quote("-2.5e-3"));
        assertEquals("a\\x1b[31mb", BatchReportCsv.quote("a\u001b[31mb"));
    }
}
