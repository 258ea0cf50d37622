package org.diffdenoise.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/macros.md's "ImageJ 1 alone" command, run as written (plain ImageJ 1, no patcher, no Fiji, under xvfb-run):
 * with only the jars the pom copies to Fiji.app/jars, the run names the missing library (never silent); with
 * ImageJ1/jars added it writes the derived series; run again, it keeps them (already done).
 */
class ImageJ1AloneTest {

    @Test
    void batchMacroRunsInPlainImageJ1WithTheShippedJars(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Paths.get("/usr/bin/xvfb-run")), "xvfb-run is not installed (package xvfb)");
        String pom = Files.readString(Paths.get("pom.xml"));
        Set<String> fijiProvides = artifacts(pom, "copy-fiji-jars", "excludeArtifactIds");
        Set<String> imagej1Adds = artifacts(pom, "copy-imagej1-jars", "includeArtifactIds");
        assertTrue(fijiProvides.containsAll(imagej1Adds), fijiProvides + " / " + imagej1Adds);

        Path study = FijiTestSupport.goodStudy(tmp);
        Path out = tmp.resolve("out");
        Path macro = tmp.resolve("denoise.ijm");
        Files.writeString(macro, "run(\"Denoise Study Folder (Batch)...\", \"input=[" + FijiTestSupport.macroPath(study)
                + "] output=[" + FijiTestSupport.macroPath(out) + "] steps=2 samples=1 seed=42\");\n"
                + "print(\"RESULT \" + call(\"org.diffdenoise.fiji.MacroResults.written\") + \" written, \""
                + " + call(\"org.diffdenoise.fiji.MacroResults.alreadyDone\") + \" already done, error: \""
                + " + call(\"org.diffdenoise.fiji.MacroResults.error\"));\n");

        // Fiji.app/jars only: ImgLib2 is missing, and the Log says so
        String missing = run(tmp, macro, jarsWithout(fijiProvides));
        assertTrue(missing.contains("a library is missing: ImgLib2"), missing);
        assertTrue(missing.contains("RESULT 0 written, 0 already done, error: Denoise Study Folder (Batch): a library is missing"), missing);
        assertFalse(Files.exists(out) && !FijiTestSupport.derivedSeries(out).isEmpty(), "nothing written");

        // plus ImageJ1/jars: written
        List<File> cp = jarsWithout(fijiProvides);
        cp.addAll(FijiTestSupport.testClassPath().stream().filter(f -> imagej1Adds.contains(artifactId(f))).toList());
        String ok = run(tmp, macro, cp);
        assertTrue(ok.contains("RESULT 1 written, 0 already done, error: ") && !ok.contains("error: Denoise"), ok);
        assertEquals(1, FijiTestSupport.derivedSeries(out).size(), ok);
        assertEquals(FijiTestSupport.SLICES, FijiTestSupport.dcmCount(FijiTestSupport.derivedSeries(out).get(0)));

        // again: already done, nothing recomputed
        String again = run(tmp, macro, cp);
        assertTrue(again.contains("RESULT 0 written, 1 already done"), again);
    }

    /** {@code xvfb-run -a java -Dplugins.dir=... -cp ij.jar:jars/* ij.ImageJ -batch macro}, its output. */
    private static String run(Path tmp, Path macro, List<File> jars) throws Exception {
        Path plugins = FijiTestSupport.pluginsFolder();
        File ij = FijiTestSupport.testClassPath().stream().filter(f -> f.getName().startsWith("ij-1.")).findFirst().orElseThrow();
        List<String> cp = new ArrayList<>(List.of(ij.toString()));
        jars.forEach(f -> cp.add(f.toString()));
        Path log = tmp.resolve("ij1.log");
        ProcessBuilder pb = new ProcessBuilder("xvfb-run", "-a", Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dplugins.dir=" + plugins.getParent(), "-Djava.util.prefs.userRoot=" + tmp.resolve("prefs"),
                "-Duser.home=" + tmp, "-cp", String.join(File.pathSeparator, cp), "ij.ImageJ", "-batch", macro.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        boolean done = p.waitFor(240, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly();
        String text = Files.readString(log);
        assertTrue(done, "ImageJ 1 did not finish:\n" + text);
        return text;
    }

    /** The runtime jars of the test class path that Fiji.app/jars holds: without ImageJ, the build output and what Fiji provides. */
    private static List<File> jarsWithout(Set<String> provided) {
        List<File> out = new ArrayList<>();
        for (File f : FijiTestSupport.testClassPath()) {
            if (!f.getName().endsWith(".jar") || f.getName().startsWith("ij-1.") || provided.contains(artifactId(f))) continue;
            out.add(f);
        }
        return out;
    }

    /** The artifact id of a jar in the local Maven repository (its folder two levels up). */
    private static String artifactId(File jar) {
        File version = jar.getParentFile();
        return version == null || version.getParentFile() == null ? jar.getName() : version.getParentFile().getName();
    }

    private static Set<String> artifacts(String pom, String executionId, String element) {
        Matcher m = Pattern.compile("<id>" + executionId + "</id>.*?<" + element + ">([^<]+)</" + element + ">", Pattern.DOTALL).matcher(pom);
        assertTrue(m.find(), executionId + " has no " + element + " in pom.xml");
        return Arrays.stream(m.group(1).split(",")).map(String::trim).collect(Collectors.toSet());
    }
}
