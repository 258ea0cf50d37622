package org.diffdenoise.dicom.pixelmed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DicomBackend;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.Provenance;
import org.diffdenoise.dicom.SeriesWriteResult;
import org.diffdenoise.dicom.StudyScan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Derived series of every character-set sample pydicom ships (and the cases of issue 13), read back by pydicom:
 * copied text decodes to the source's value with the source's bytes, new text is encoded in the source's set, and
 * dciodvfy finds no new error. Fixtures are made by test-data/charset/make_fixtures.py, checked by compare.py.
 */
class DerivedTextTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String MODEL = "unet-mr-rician";

    @TempDir
    static Path fixtures;

    @TempDir
    Path tmp;

    private final DicomBackend backend = Dicom.backend();

    @BeforeAll
    static void makeFixtures() throws Exception {
        String out = run(List.of(PYTHON, Path.of("test-data/charset/make_fixtures.py").toAbsolutePath().toString(),
                fixtures.toString()), "");
        assertTrue(Files.exists(fixtures.resolve("chrH31/IM1.dcm")), "fixtures not made (pydicom missing?): " + out);
    }

    private static List<Path> cases() throws IOException {
        try (Stream<Path> s = Files.list(fixtures)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** Writes the derived series of the one file in {@code folder}; returns {source file, derived file}. */
    private Path[] derive(Path folder, String modelName) throws Exception {
        StudyScan scan = backend.scan(folder);
        assertEquals(1, scan.series().size(), () -> folder + ": " + scan.skipped());
        DicomSeries s = backend.load(scan.series().get(0));
        Provenance p = new Provenance("conditioned reverse diffusion (DDIM)", modelName, "1.2.0",
                "0123456789abcdef".repeat(4), 25, 1, 7, new double[s.sliceCount()], "DiffDenoise", "0.1.0-test");
        Path out = Files.createTempDirectory(tmp, folder.getFileName().toString());
        SeriesWriteResult r = backend.writeDerived(s, s.pixels(), p, out, false);
        try (Stream<Path> st = Files.list(r.directory())) {
            return new Path[] {folder.resolve("IM1.dcm"), st.findFirst().orElseThrow()};
        }
    }

    /** Runs compare.py on lines "mode src derived model shown" and asserts it found no problem. */
    private static void assertPydicomAgrees(List<String> lines) throws Exception {
        String out = run(List.of(PYTHON, Path.of("test-data/charset/compare.py").toAbsolutePath().toString()),
                String.join("\n", lines) + "\n").trim();
        assertEquals("checked " + lines.size(), out, out);
    }

    @Test
    void everyCharacterSetKeepsItsTextAndBytes() throws Exception {
        List<String> lines = new ArrayList<>();
        List<Path[]> pairs = new ArrayList<>();
        for (Path c : cases()) {
            Path[] pair = derive(c, MODEL);
            pairs.add(pair);
            // Latin-1 bytes with no declared set cannot be decoded: kept as bytes
            String mode = c.getFileName().toString().equals("undeclared_latin1") ? "bytes" : "keep";
            lines.add(String.join("\t", mode, pair[0].toString(), pair[1].toString(), MODEL, MODEL));
        }
        assertTrue(lines.size() >= 26, "fixtures: " + lines.size());
        assertPydicomAgrees(lines);
        for (Path[] pair : pairs) {
            Set<String> added = dciodvfyErrors(pair[1]);
            added.removeAll(dciodvfyErrors(pair[0]));
            assertTrue(added.isEmpty(), pair[1] + " (from " + pair[0] + ") has new dciodvfy errors: " + added);
        }
    }

    @Test
    void newTextTheSourceSetCannotHoldSwitchesTheInstanceToUtf8() throws Exception {
        // 'è' is not in JIS X 0208, KS X 1001 or ISO 8859-6; the kanji are not in ISO 8859-1
        String model = "Modèle 雑音";
        List<String> lines = new ArrayList<>();
        for (String c : List.of("desc_iso_ir_100", "chrH31", "desc_iso2022_ir13_ir87", "chrI2", "chrArab",
                "chrSQEncoding1", "chrJapMulti")) {
            Path[] pair = derive(fixtures.resolve(c), model);
            lines.add(String.join("\t", "utf8", pair[0].toString(), pair[1].toString(), model, model));
        }
        assertPydicomAgrees(lines);
    }

    @Test
    void newTextInAnIso2022SetUsesItsCodeExtensions() throws Exception {
        String model = "雑音除去 ﾓﾃﾞﾙ";  // kanji (JIS X 0208) and half-width katakana (JIS X 0201)
        Path[] pair = derive(fixtures.resolve("desc_iso2022_ir13_ir87"), model);
        assertPydicomAgrees(List.of(String.join("\t", "keep", pair[0].toString(), pair[1].toString(), model, model)));
        String hangul = "잡음 제거";
        pair = derive(fixtures.resolve("chrI2"), hangul);
        assertPydicomAgrees(List.of(String.join("\t", "keep", pair[0].toString(), pair[1].toString(), hangul, hangul)));
    }

    @Test
    void undecodableSourceKeepsItsBytesAndNewTextLosesOnlyWhatNoSetHolds() throws Exception {
        String model = "Modèle 雑音";
        Path[] pair = derive(fixtures.resolve("undeclared_latin1"), model);
        // the source's set (none) is kept, so the patient's bytes are; only the model name in the readable
        // description loses its non-ASCII letters, the provenance JSON (ASCII escapes) keeps them
        assertPydicomAgrees(List.of(String.join("\t", "bytes", pair[0].toString(), pair[1].toString(), model,
                "Mod?le ??")));
        AttributeList d = new AttributeList();
        d.read(pair[1].toFile());
        assertEquals(null, d.get(TagFromName.SpecificCharacterSet));
    }

    /**
     * dciodvfy's error lines (Implementation Class UID ones left out: the writer's own, not the image's); a
     * character the declared set lacks compares without the value: the source's bytes are kept, and where we extend
     * them (its Series Description) it is the same error with a longer value.
     */
    static Set<String> dciodvfyErrors(Path file) throws Exception {
        String out = run(List.of("dciodvfy", file.toString()), "");
        assertTrue(!out.isBlank(), "dciodvfy produced nothing for " + file);
        Set<String> errors = new TreeSet<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("Error") && !line.contains("(0x0002,0x0012)")) {
                String e = line.trim();
                if (e.contains("Character invalid for character repertoire")) e = e.replaceAll("= <.*> -", "= <> -");
                errors.add(e);
            }
        }
        return errors;
    }

    private static String run(List<String> command, String stdin) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
        return out;
    }
}
