package org.diffdenoise.cli;

import static org.diffdenoise.cli.DiffDenoiseCliTest.checksums;
import static org.diffdenoise.cli.DiffDenoiseCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.diffdenoise.api.OwnedTempFolder;
import org.diffdenoise.cli.DiffDenoiseCliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against hostile arguments and files (issue 13: defects 1, 5, 8, 9 and 10): the input is never
 * written, refusals are usage errors (exit 2) that create nothing, reasons are plain words, and DICOM text cannot
 * drive the terminal or a spreadsheet. Uses the median baseline: these are about the pipeline, not the network.
 */
class HostileInputTest {

    private static final String JAVA_NAMES = "(?s).*(Exception|Error\\b|java\\.|\\bat org\\.).*";

    private static void assertPlain(Run r) {
        assertFalse((r.out() + r.err()).matches(JAVA_NAMES), "no Java class names or traces: " + r.out() + r.err());
    }

    @Test
    void reportOrPreviewInsideTheInputIsRefusedAndTheInputKept(@TempDir Path tmp) throws Exception {
        Path study = HostileFiles.plainStudy(tmp.resolve("study"));
        Map<String, String> before = checksums(study);
        Path out = tmp.resolve("out");
        Run report = run("denoise", study.toString(), out.toString(), "--method", "median",
                "--report", study.resolve("MR_small.dcm").toString());
        assertEquals(2, report.code(), report.out() + report.err());
        assertTrue(report.err().contains("--report") && report.err().contains("must not be inside the input"), report.err());
        Run overwriting = run("denoise", study.toString(), out.toString(), "--method", "median", "--overwrite",
                "--preview", study.resolve("MR_small.dcm").toString());
        assertEquals(2, overwriting.code(), overwriting.out() + overwriting.err());
        // a link outside the input that points at an input file is refused too
        Path link = Files.createSymbolicLink(tmp.resolve("innocent.csv"), study.resolve("MR_small.dcm"));
        Run viaLink = run("denoise", study.toString(), out.toString(), "--method", "median", "--overwrite", "--report", link.toString());
        assertEquals(2, viaLink.code(), viaLink.out() + viaLink.err());
        assertEquals(before, checksums(study), "input files unchanged");
        assertFalse(Files.exists(out), "a refused run creates nothing");
        assertPlain(report);
    }

    @Test
    void anExistingReportIsReplacedOnlyWithOverwrite(@TempDir Path tmp) throws Exception {
        Path study = HostileFiles.plainStudy(tmp.resolve("study"));
        Path csv = tmp.resolve("batch.csv");
        Files.writeString(csv, "someone else's table\n");
        Run refused = run("denoise", study.toString(), tmp.resolve("out").toString(), "--method", "median", "--report", csv.toString());
        assertEquals(2, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().contains("already exists") && refused.err().contains("--overwrite"), refused.err());
        assertEquals("someone else's table\n", Files.readString(csv));
        Run replaced = run("denoise", study.toString(), tmp.resolve("out").toString(), "--method", "median", "--report",
                csv.toString(), "--overwrite");
        assertEquals(0, replaced.code(), replaced.out() + replaced.err());
        assertTrue(Files.readString(csv).startsWith("status,"), "replaced by the report");
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary file left beside the report");
        }
    }

    @Test
    void outputThroughALinkIntoTheInputIsRefusedBeforeAnythingIsCreated(@TempDir Path tmp) throws Exception {
        Path study = HostileFiles.plainStudy(tmp.resolve("study"));
        Map<String, String> before = checksums(study);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), study);
        Run viaLink = run("denoise", study.toString(), link.resolve("derived").toString(), "--method", "median");
        assertEquals(2, viaLink.code(), viaLink.out() + viaLink.err());
        assertTrue(viaLink.err().contains("must not be inside the input folder"), viaLink.err());
        Run inside = run("denoise", study.toString(), study.resolve("derived").toString(), "--method", "median");
        assertEquals(2, inside.code(), inside.out() + inside.err());
        Run same = run("denoise", link.toString(), study.toString(), "--method", "median");
        assertEquals(2, same.code(), same.out() + same.err());
        assertFalse(Files.exists(study.resolve("derived")), "no empty folder left in the input");
        assertEquals(before, checksums(study));
        try (Stream<Path> s = Files.list(study)) {
            assertEquals(1, s.count(), "nothing new in the input");
        }
    }

    @Test
    void leftoversOfAKilledRunAreNotSeriesAndTheNextRunRemovesThem(@TempDir Path tmp) throws Exception {
        Path study = HostileFiles.plainStudy(tmp.resolve("study"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        // what kill -9 leaves: a marked temporary series folder whose process has ended ...
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = OwnedTempFolder.create(out, ".1001_dead_DiffDenoise_0a0a0a0a.tmp-" + UUID.randomUUID());
        Path marker = dead.resolve(OwnedTempFolder.MARKER);
        Files.writeString(marker, Files.readString(marker).replaceAll("pid=\\d+", "pid=" + gone.pid()));
        Files.copy(HostileFiles.MR_SMALL, dead.resolve("IM0001.dcm"));
        // ... and one of a run still going (this process), which must stay
        Path live = OwnedTempFolder.create(out, ".1002_live_DiffDenoise_0b0b0b0b.tmp-" + UUID.randomUUID());
        Files.copy(HostileFiles.MR_SMALL, live.resolve("IM0001.dcm"));

        Run info = run("info", out.toString());
        assertTrue(info.out().startsWith("0 series in"), "temporary folders are not series: " + info.out());
        assertTrue(info.out().contains("temporary folder of an unfinished DiffDenoise run"), info.out());

        Run r = run("denoise", study.toString(), out.toString(), "--method", "median");
        assertEquals(0, r.code(), r.out() + r.err());
        assertFalse(Files.exists(dead), "the dead run's folder is removed");
        assertTrue(r.out().contains("removed " + dead), r.out());
        assertTrue(Files.isDirectory(live), "a live run's folder is kept");
        assertEquals(1, org.diffdenoise.dicom.Dicom.backend().scan(out).series().size());
    }

    @Test
    void uncreatableOutputAndAFolderThatIsNoModelAreUsageErrors(@TempDir Path tmp) throws Exception {
        Path study = HostileFiles.plainStudy(tmp.resolve("study"));
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Run under = run("denoise", study.toString(), file.resolve("out").toString(), "--method", "median");
        assertEquals(2, under.code(), under.out() + under.err());
        assertTrue(under.err().contains("cannot create the output folder"), under.err());
        assertPlain(under);
        Run model = run("denoise", study.toString(), tmp.resolve("out").toString(), "--model", study.toString());
        assertEquals(2, model.code(), model.out() + model.err());
        assertTrue(model.err().contains("--model") && model.err().contains("missing diffdenoise-model.json"), model.err());
        assertFalse(model.out().contains("[1/1]"), "refused before any series: " + model.out());
        assertFalse(Files.exists(tmp.resolve("out")));
        assertPlain(model);
    }

    @Test
    void damagedHeadersAndUnmatchedSeriesGiveTheRightReason(@TempDir Path tmp) throws Exception {
        Path frames = tmp.resolve("frames");
        HostileFiles.mrSmallWith(frames, "a.dcm", HostileFiles.NUMBER_OF_FRAMES, "2147483647");
        Run f = run("denoise", frames.toString(), tmp.resolve("o1").toString(), "--method", "median");
        assertEquals(1, f.code(), f.out() + f.err());
        // the structure check (Pixel Data too short for the frames) or the frame-count check may be first to see it
        assertTrue(f.out().contains("Number of Frames 2147483647 is implausible for a file of")
                || f.out().contains("Number of Frames 2147483647 x Rows 64 x Columns 64 needs"), f.out());
        assertFalse(f.out().contains("memory") || f.out().contains("tile"), f.out());
        assertPlain(f);

        Path slope = tmp.resolve("slope");
        HostileFiles.mrSmallWith(slope, "a.dcm", HostileFiles.RESCALE_SLOPE, "1e308");
        Run s = run("denoise", slope.toString(), tmp.resolve("o2").toString());
        assertEquals(1, s.code(), s.out() + s.err());
        assertTrue(s.out().contains("Rescale Slope 1.0E308") && s.out().contains("out of range"), s.out());
        assertFalse(s.out().contains("no measurable noise"), s.out());

        Path study = HostileFiles.plainStudy(tmp.resolve("study"));
        Run u = run("denoise", study.toString(), tmp.resolve("o3").toString(), "--method", "median", "--series", "1.2.3.4");
        assertEquals(2, u.code(), u.out() + u.err());
        assertTrue(u.err().contains("no series with UID 1.2.3.4 in"), u.err());
        assertFalse(u.err().contains("no DICOM image series found"), u.err());
    }

    @Test
    void descriptionsCannotForgeLinesDriveTheTerminalOrBecomeFormulas(@TempDir Path tmp) throws Exception {
        Path study = tmp.resolve("study");
        String hostile = "=HYPERLINK(\"http://x\")\n[1/1] forged line \u001b[31mred\u001b]0;title\u0007";
        HostileFiles.mrSmallWith(study, "a.dcm", HostileFiles.SERIES_DESCRIPTION, hostile);
        Path csv = tmp.resolve("r.csv");
        Run r = run("denoise", study.toString(), tmp.resolve("out").toString(), "--method", "median", "--report", csv.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        String all = r.out() + r.err();
        assertFalse(all.contains("\u001b") || all.contains("\u0007"), "no escape sequences reach the terminal");
        assertFalse(all.lines().anyMatch(l -> l.startsWith("[1/1] forged")), "no forged line: " + all);
        assertTrue(all.contains("\\n[1/1] forged line \\x1b[31mred"), "shown escaped: " + all);
        Run info = run("info", study.toString());
        assertFalse(info.out().contains("\u001b") || info.out().lines().anyMatch(l -> l.startsWith("[1/1] forged")), info.out());

        List<List<String>> rows = DiffDenoiseCliTest.parseCsv(Files.readString(csv, StandardCharsets.UTF_8));
        int desc = rows.get(0).indexOf("series_description");
        String cell = rows.get(1).get(desc);
        assertTrue(cell.startsWith("'="), "a formula is neutralised: " + cell);
        assertFalse(cell.contains("\u001b") || cell.contains("\n"), cell);
    }

    @Test
    void aNegativeSeriesNumberNeverGivesAFolderNameStartingWithADash(@TempDir Path tmp) throws Exception {
        Path study = tmp.resolve("study");
        HostileFiles.mrSmallWith(study, "a.dcm", HostileFiles.SERIES_NUMBER, "-5000");
        Path out = tmp.resolve("out");
        Run r = run("denoise", study.toString(), out.toString(), "--method", "median");
        assertEquals(0, r.code(), r.out() + r.err());
        try (Stream<Path> s = Files.list(out)) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            assertEquals(1, names.size(), names.toString());
            assertFalse(names.get(0).startsWith("-"), names.toString());
            assertTrue(names.get(0).startsWith("neg4000_"), names.toString());
        }
    }
}
