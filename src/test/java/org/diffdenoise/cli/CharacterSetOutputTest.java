package org.diffdenoise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.diffdenoise.pipeline.BatchReportCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Series Descriptions in several character sets reach `info` and the CSV report (UTF-8) as the source means them. */
class CharacterSetOutputTest {
    /** fixture (test-data/charset/make_fixtures.py) and its Series Description */
    private static final List<String[]> CASES = List.of(
            new String[] {"desc_iso_ir_100", "Schädel Übersicht"},
            new String[] {"desc_gb18030", "头部扫描"},
            new String[] {"desc_iso2022_ir87", "頭部 MR 撮影"},
            new String[] {"desc_iso2022_ir149", "두부 검사"});

    @Test
    void descriptionsPrintAndReportAsTheSourceMeansThem(@TempDir Path tmp) throws Exception {
        Path fixtures = tmp.resolve("fixtures");
        Process p = new ProcessBuilder("/usr/bin/python3", Path.of("test-data/charset/make_fixtures.py").toAbsolutePath().toString(),
                fixtures.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "fixtures not made (pydicom missing?): " + log);
        Path study = Files.createDirectories(tmp.resolve("study"));
        for (String[] c : CASES) {
            Files.copy(fixtures.resolve(c[0]).resolve("IM1.dcm"), Files.createDirectories(study.resolve(c[0])).resolve("IM1.dcm"));
        }

        DiffDenoiseCliTest.Run info = DiffDenoiseCliTest.run("info", study.toString());
        for (String[] c : CASES) assertTrue(info.out().contains(c[1]), c[1] + " in: " + info.out());

        Path csv = tmp.resolve("batch.csv");
        DiffDenoiseCliTest.Run r = DiffDenoiseCliTest.run("denoise", study.toString(), tmp.resolve("out").toString(),
                "--method", "median", "--sigma", "5", "--report", csv.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        List<List<String>> rows = DiffDenoiseCliTest.parseCsv(new String(Files.readAllBytes(csv), StandardCharsets.UTF_8));
        int desc = BatchReportCsv.HEADER.indexOf("series_description");
        Set<String> reported = rows.stream().skip(1).map(x -> x.get(desc)).collect(Collectors.toSet());
        assertEquals(CASES.stream().map(c -> c[1]).collect(Collectors.toSet()), reported);
    }
}
