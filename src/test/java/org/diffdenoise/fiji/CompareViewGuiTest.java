package org.diffdenoise.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every dialog and the compare view under Xvfb (1680x1050), through {@link CompareViewGuiCheck}: screenshots in
 * target/gui/, windows on screen and not overlapping, the ROI table cleared for a new pair, CNR computed; then the
 * lines the Recorder wrote for the five commands replay in headless ImageJ.
 */
class CompareViewGuiTest {

    /**
     * Up to three runs of the whole check, each in a fresh virtual screen: under Xvfb with no window manager an event
     * now and then never arrives or a window is placed before its size is final (seen in 2 of 6 full-suite runs this
     * session: a ROI table that never appeared, a third window placed past the screen edge). The same failure three
     * times fails the test; every run checks everything.
     */
    @Test
    void dialogsAndCompareViewOnAVirtualScreenAndTheirRecordedLinesReplayHeadless(@TempDir Path tmp) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Path run = Files.createDirectories(tmp.resolve("run" + attempt));
            try {
                checkOnce(run);
                return;
            } catch (AssertionError e) {
                if (attempt == 3) throw e;
                System.err.println("CompareViewGuiTest: run " + attempt + " failed, running again: " + e.getMessage());
            }
        }
    }

    private void checkOnce(Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Paths.get("/usr/bin/xvfb-run")), "xvfb-run is not installed (package xvfb)");
        Path study = FijiTestSupport.goodStudy(tmp);
        Path slice;
        try (Stream<Path> f = Files.list(study.resolve("mr"))) {
            slice = f.sorted().findFirst().orElseThrow();
        }
        Path out = Paths.get("target", "gui").toAbsolutePath();
        if (Files.exists(out)) {
            try (Stream<Path> old = Files.walk(out)) {
                for (Path f : old.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
            }
        }
        Files.createDirectories(out);
        Path plugins = FijiTestSupport.pluginsFolder();
        List<String> cmd = new ArrayList<>(List.of("xvfb-run", "-a", "-s", "-screen 0 1680x1050x24",
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Djava.awt.headless=false", "-Dplugins.dir=" + plugins,
                "-Djava.util.prefs.userRoot=" + tmp.resolve("prefs"), "-Duser.home=" + tmp,
                "-cp", String.join(File.pathSeparator, FijiTestSupport.testClassPath().stream().map(File::toString).toList()),
                CompareViewGuiCheck.class.getName(), study.toString(), slice.toString(), out.toString()));
        Process gui = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("gui.log").toFile()).start();
        boolean done = gui.waitFor(420, TimeUnit.SECONDS);
        if (!done) gui.destroyForcibly();
        String log = Files.readString(tmp.resolve("gui.log"));
        assertTrue(done, "GUI check timed out; log:\n" + log);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(out.resolve("gui.properties"))) {
            p.load(in);
        }
        assertNull(p.getProperty("error"), () -> p.getProperty("error") + "\n" + log);
        assertEquals("true", p.getProperty("completed"), log);

        for (String key : List.of("viewer", "pair")) {
            assertEquals("true", p.getProperty(key + ".onscreen"), key + " windows off screen: " + p.getProperty(key + ".bounds"));
            assertEquals("false", p.getProperty(key + ".overlap"), key + " windows overlap: " + p.getProperty(key + ".bounds"));
            assertTrue(Double.parseDouble(p.getProperty(key + ".zoom")) < 1, "scaled to fit: " + p.getProperty(key + ".zoom"));
        }
        String[] pair = p.getProperty("pair.bounds").split(";");
        assertEquals(pair[0].split(",")[1], pair[1].split(",")[1], "the pair side by side: " + p.getProperty("pair.bounds"));
        assertTrue(Integer.parseInt(p.getProperty("viewer.table").split(",")[2]) >= 800, "ROI table width: " + p.getProperty("viewer.table"));
        assertEquals("true", p.getProperty("viewer.table.onscreen"), p.getProperty("viewer.table"));
        assertEquals("MR brain 1152x1024|MR brain 1152x1024 (denoised)", p.getProperty("pair.roitable.first.images"),
                "the new pair's table holds its two rows only, not the viewer's three");
        assertEquals("2", p.getProperty("pair.roitable.rows"));
        String[] cnr = p.getProperty("cnr").split(",");
        assertTrue(Double.parseDouble(cnr[1]) > Double.parseDouble(cnr[0]), "CNR rises with denoising: " + p.getProperty("cnr"));
        assertEquals("true", p.getProperty("curtain.onscreen"), p.getProperty("curtain.bounds"));
        for (String png : List.of("viewer-1152x1024", "viewer-roi-table", "compare-pair", "curtain", "model-info", "dialog-denoise-current-image",
                "dialog-compare", "dialog-denoise-dicom-series", "dialog-denoise-study-folder", "dialog-model-info"))
            assertTrue(Files.size(out.resolve(png + ".png")) > 2_000, png);

        // the Recorder's line for each command replays headless
        String recorded = Files.readString(out.resolve("recorded.ijm"));
        List<String> lines = recorded.lines().filter(l -> l.startsWith("run(\"Denoise") || l.startsWith("run(\"Compare") || l.startsWith("run(\"Model")).toList();
        assertEquals(5, lines.size(), recorded);
        Path replay = Files.createDirectories(tmp.resolve("replay"));
        StringBuilder macro = new StringBuilder();
        macro.append("open(\"").append(FijiTestSupport.macroPath(slice)).append("\");\nrun(\"32-bit\");\n")
                .append("run(\"Size...\", \"width=1152 height=1024 depth=1 average interpolation=Bilinear\");\n")
                .append("rename(\"").append(CompareViewGuiCheck.IMAGE).append("\");\n")
                .append("makeRectangle(520, 420, 100, 80);\nOverlay.addSelection;\nmakeRectangle(40, 40, 120, 100);\nOverlay.addSelection;\nrun(\"Select None\");\n");
        for (String l : lines) {
            String replayed = l.replace(out.resolve("series-out").toString(), replay.resolve("series-out").toString())
                    .replace(out.resolve("batch-out").toString(), replay.resolve("batch-out").toString());
            macro.append(replayed).append('\n')
                    .append(l.startsWith("run(\"Compare") ? "print(\"CNR \" + getResult(\"CNR\", 0) + \" \" + getResult(\"CNR\", 1));\n" : "")
                    .append("print(\"REPLAYED ").append(l.substring(5, l.indexOf("\"", 5))).append(": written \" + call(\"org.diffdenoise.fiji.MacroResults.written\") + \" error [\" + call(\"org.diffdenoise.fiji.MacroResults.error\") + \"]\");\n");
        }
        String output = DocsMacrosTest.runHeadless(tmp, List.of(macro.toString())).get(0);
        for (String l : lines) {
            String name = l.substring(5, l.indexOf("\"", 5));
            assertTrue(output.contains("REPLAYED " + name + ": written") && output.contains("REPLAYED " + name + ": written") , name + "\n" + output);
            int at = output.indexOf("REPLAYED " + name + ": ");
            assertTrue(output.substring(at).lines().findFirst().orElseThrow().endsWith("error []"), name + " replayed with an error:\n" + output);
        }
        assertEquals(1, FijiTestSupport.derivedSeries(replay.resolve("batch-out")).size(), output);
        assertEquals(1, FijiTestSupport.derivedSeries(replay.resolve("series-out")).size(), output);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("CNR ([0-9.]+) ([0-9.]+)").matcher(output);
        assertTrue(m.find(), "the replayed Compare line measured the CNR:\n" + output);
        assertTrue(Double.parseDouble(m.group(2)) > Double.parseDouble(m.group(1)), m.group());
        Files.writeString(out.resolve("replay.log"), macro + "\n----\n" + output);
    }
}
