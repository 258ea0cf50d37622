package org.diffdenoise.fiji;

import java.nio.file.Files;
import java.nio.file.Paths;

import net.imagej.patcher.LegacyEnvironment;

/**
 * Runs macro files, one after the other, in headless, patched ImageJ 1 (what {@code fiji --headless -macro file} does), with the plugin
 * jar installed and the real denoisers; the Log goes to stdout. Used by {@link DocsMacrosTest} in a JVM of its own.
 */
public final class HeadlessMacroRunner {
    /** Printed before each macro's output: the marker, then the macro file. */
    static final String MARKER = "=== macro ";

    public static void main(String[] args) throws Exception {
        LegacyEnvironment env = FijiTestSupport.patchedHeadlessImageJ();
        for (String file : args) {
            System.out.println(MARKER + file);
            System.out.flush();
            env.runMacro(Files.readString(Paths.get(file)), "");
            System.out.flush();
        }
        System.exit(0);
    }
}
