package org.diffdenoise.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.SeriesRef;

/**
 * Runs every ```ijm example of docs/macros.md as {@code fiji --headless -macro} would: patched headless ImageJ 1 in
 * a JVM of its own, the plugin jar in its plugins folder, and the default (diffusion) method.
 */
class DocsMacrosTest {

    @Test
    void everyDocumentedMacroRunsHeadless(@TempDir Path tmp) throws Exception {
        List<String> blocks = ijmBlocks(Files.readString(Paths.get("docs", "macros.md")));
        assertEquals(5, blocks.size(), "ijm examples in docs/macros.md");
        Path study = FijiTestSupport.studyWithBrokenSeries(tmp);
        SeriesRef mr = Dicom.backend().scan(study.resolve("mr")).series().get(0);
        Path image = FijiTestSupport.externalData().resolve("pydicom").resolve("CT_small.dcm");

        List<String> macros = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            Path out = tmp.resolve("out" + i);
            macros.add(blocks.get(i).replace("{STUDY}", FijiTestSupport.macroPath(study)).replace("{OUTPUT}", FijiTestSupport.macroPath(out))
                    .replace("{UID}", mr.seriesInstanceUid()).replace("{IMAGE}", FijiTestSupport.macroPath(image)));
        }
        List<String> outputs = runHeadless(tmp, macros);
        String batch = outputs.get(0);
        assertTrue(batch.contains("written: 1, failed: 1"), batch);
        assertTrue(batch.contains("FAILED") && batch.contains("MR_truncated.dcm"), batch);
        assertEquals(1, FijiTestSupport.derivedSeries(tmp.resolve("out0")).size());

        String series = outputs.get(1);
        List<Path> derived = FijiTestSupport.derivedSeries(tmp.resolve("out1"));
        assertEquals(1, derived.size(), series);
        assertEquals(FijiTestSupport.SLICES, FijiTestSupport.dcmCount(derived.get(0)));
        assertTrue(series.contains("written to: " + derived.get(0)), series);

        assertTrue(outputs.get(2).contains("CT_small.dcm (denoised): 32-bit, pixel width 0.66"), outputs.get(2));
        assertTrue(outputs.get(3).contains("refused: Denoise Study Folder (Batch): Output folder") && outputs.get(3).contains("must not be inside the input folder"), outputs.get(3));
        assertFalse(Files.exists(study.resolve("derived")));
        assertTrue(outputs.get(4).contains("Method: ") && outputs.get(4).contains("Model: "), outputs.get(4));
        assertFalse(outputs.get(4).contains("could not be loaded"), outputs.get(4));
    }

    static List<String> ijmBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```ijm\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) blocks.add(m.group(1));
        return blocks;
    }

    /** Runs the macros one after the other in a fresh headless JVM; returns each one's output (the Log goes to stdout). */
    static List<String> runHeadless(Path tmp, List<String> macros) throws Exception {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < macros.size(); i++) {
            Path file = tmp.resolve("example" + i + ".ijm");
            Files.writeString(file, macros.get(i));
            files.add(file.toString());
        }
        Path log = tmp.resolve("examples.log");
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-Djava.awt.headless=true", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Djava.util.prefs.userRoot=" + tmp.resolve("prefs"), "-Duser.home=" + tmp,
                "-cp", String.join(File.pathSeparator, FijiTestSupport.testClassPath().stream().map(File::toString).toList()),
                HeadlessMacroRunner.class.getName()));
        cmd.addAll(files);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(600, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly();
        String out = Files.readString(log);
        assertTrue(done, "the examples timed out:\n" + out);
        assertEquals(0, p.exitValue(), out);
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            int from = out.indexOf(HeadlessMacroRunner.MARKER + files.get(i));
            assertTrue(from >= 0, "example " + i + " did not run:\n" + out);
            int to = i + 1 < files.size() ? out.indexOf(HeadlessMacroRunner.MARKER + files.get(i + 1)) : out.length();
            String o = out.substring(from, to < 0 ? out.length() : to);
            assertFalse(o.contains("Macro Error") || o.contains("Unrecognized command"), "example " + i + ":\n" + macros.get(i) + "\n" + o);
            outputs.add(o);
        }
        return outputs;
    }
}
