package org.diffdenoise.fiji;

import java.nio.file.Files;
import java.nio.file.Paths;

import net.imagej.patcher.LegacyEnvironment;

/**
 * Runs one macro file in headless, patched ImageJ 1 (what {@code fiji --headless -macro file} does), with the plugin
 * jar installed and the real denoisers; the Log goes to stdout. Used by {@link DocsMacrosTest} in a JVM of its own.
 */
public final class HeadlessMacroRunner {
    public static void main(String[] args) throws Exception {
        LegacyEnvironment env = FijiTestSupport.patchedHeadlessImageJ();
        env.runMacro(Files.readString(Paths.get(args[0])), "");
        System.exit(0);
    }
}
