package org.diffdenoise.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.SeriesRef;

/**
 * Real ImageJ 1 on an Xvfb display, in a JVM of its own (surefire's is headless): the menu, the viewer windows,
 * one display range, slice/zoom/ROI synchronization, the ROI table, and a screenshot in target/fiji-gui.png.
 */
class FijiGuiTest {

    @Test
    void viewerWindowsAreCalibratedAndLinked(@TempDir Path tmp) throws Exception {
        Path xvfb = Paths.get("/usr/bin/Xvfb");
        Assumptions.assumeTrue(Files.isExecutable(xvfb) || onPath("Xvfb"), "Xvfb is not installed: install the xvfb package to run the GUI test");
        Path study = FijiTestSupport.goodStudy(tmp);
        Path plugins = FijiTestSupport.pluginsFolder();
        int display = 90 + (int) (ProcessHandle.current().pid() % 9);
        Process x = new ProcessBuilder(onPath("Xvfb") ? "Xvfb" : xvfb.toString(), ":" + display, "-screen", "0", "1680x1050x24", "-nolisten", "tcp")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("xvfb.log").toFile()).start();
        try {
            Path socket = Paths.get("/tmp/.X11-unix/X" + display);
            for (int i = 0; i < 100 && !Files.exists(socket) && x.isAlive(); i++) Thread.sleep(100);
            assertTrue(x.isAlive() && Files.exists(socket), "Xvfb :" + display + " did not start: " + Files.readString(tmp.resolve("xvfb.log")));
            Path report = tmp.resolve("gui.properties");
            Path png = Paths.get("target", "fiji-gui.png").toAbsolutePath();
            List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-Djava.awt.headless=false", "-Dplugins.dir=" + plugins,
                    "-Djava.util.prefs.userRoot=" + tmp.resolve("prefs"), "-Duser.home=" + tmp,
                    "-cp", String.join(File.pathSeparator, FijiTestSupport.testClassPath().stream().map(File::toString).toList()),
                    GuiSmokeCheck.class.getName(), study.toString(), report.toString(), png.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("gui.log").toFile());
            pb.environment().put("DISPLAY", ":" + display);
            Process gui = pb.start();
            boolean done = gui.waitFor(180, TimeUnit.SECONDS);
            if (!done) gui.destroyForcibly();
            String log = Files.readString(tmp.resolve("gui.log"));
            assertTrue(done, "GUI check timed out; log:\n" + log);
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(report)) {
                p.load(in);
            }
            assertNull(p.getProperty("error"), () -> p.getProperty("error") + "\n" + log);
            assertEquals("true", p.getProperty("completed"), log);

            assertEquals("Denoise DICOM Series...|Denoise Study Folder (Batch)...|Denoise Current Image...|Compare Before/After...|Model Info...",
                    p.getProperty("menu"));
            assertEquals("true", p.getProperty("windows"));
            assertTrue(Double.parseDouble(p.getProperty("uncertainty.max")) > 0, "two samples differ somewhere: " + p.getProperty("uncertainty.max"));
            int n = FijiTestSupport.SLICES;
            assertEquals(n + "," + n + "," + n + "," + n, p.getProperty("slices"));
            assertEquals(p.getProperty("range.before"), p.getProperty("range.after"), "one display range");
            SeriesRef ref = Dicom.backend().scan(study).series().get(0);
            DicomSeries series = Dicom.backend().load(ref);
            double[] spacing = series.pixelSpacing();
            String[] cal = p.getProperty("calibration").split(",");
            assertEquals(spacing[1], Double.parseDouble(cal[0]), 1e-9);
            assertEquals(spacing[0], Double.parseDouble(cal[1]), 1e-9);
            assertEquals(ImagePlusConversion.sliceSpacing(series.geometry()), Double.parseDouble(cal[2]), 1e-6);
            assertEquals("mm", cal[3]);
            assertEquals(cal[0] + ",mm", p.getProperty("calibration.after"));
            assertEquals(n + "," + n + "," + n, p.getProperty("slice.synced"));
            String[] zoom = p.getProperty("zoom").split(",");
            assertEquals(zoom[0], zoom[1]);
            assertTrue(Double.parseDouble(zoom[0]) > 1, "zoomed in: " + zoom[0]);
            assertEquals("true", p.getProperty("srcRect.same"));
            assertEquals("java.awt.Rectangle[x=100,y=100,width=40,height=30]", p.getProperty("roi.after"));
            assertEquals("4", p.getProperty("roi.rows"));
            assertTrue(p.getProperty("roi.columns").contains("Mean|SD|SNR"), p.getProperty("roi.columns"));
            String[] sd = p.getProperty("roi.sd").split(",");
            assertTrue(Double.parseDouble(sd[1]) < Double.parseDouble(sd[0]), "denoised SD below original: " + p.getProperty("roi.sd"));
            assertEquals("1", p.getProperty("compare.images"));
            assertTrue(Files.size(png) > 10_000, "screenshot " + png);

            // what the Recorder wrote replays exactly
            String recorded = p.getProperty("recorded");
            // the Recorder brackets values only when they hold spaces
            assertTrue(recorded.startsWith("run(\"Denoise Study Folder (Batch)...\", \"input=" + study.toAbsolutePath() + " output="), recorded);
            assertTrue(recorded.contains("steps=1 ") && recorded.contains("method=diffusion"), recorded);
            assertEquals("1", p.getProperty("recorded.written"));
            assertEquals("1", p.getProperty("replayed.written"), recorded);
            List<Path> a = FijiTestSupport.derivedSeries(tmp.resolve("recorded-out")), b = FijiTestSupport.derivedSeries(tmp.resolve("replayed-out"));
            assertEquals(1, a.size());
            assertEquals(1, b.size());
            assertEquals(a.get(0).getFileName(), b.get(0).getFileName());
        } finally {
            x.destroy();
            x.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(File.pathSeparator)) if (Files.isExecutable(Paths.get(d, exe))) return true;
        return false;
    }
}
