package org.diffdenoise.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import net.imagej.patcher.LegacyEnvironment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the recorded macro commands in a headless, patched ImageJ 1 on a real study folder. */
class HeadlessMacroTest {
    static LegacyEnvironment env;

    @BeforeAll
    static void startImageJ() throws Exception {
        env = FijiTestSupport.headlessImageJ();
        env.runMacro("print(\"ImageJ \" + getVersion());", ""); // builds the menus
    }

    /** ImageJ read plugins.config from the plugin jar: each command maps to its class, and nothing else is ours. */
    @Test
    void pluginsConfigInstallsOneCommandPerAction() throws Exception {
        Map<?, ?> commands = (Map<?, ?>) env.getClassLoader().loadClass("ij.Menus").getMethod("getCommands").invoke(null);
        Map<String, String> expected = Map.of(
                "Denoise DICOM Series...", DenoiseDicomSeriesCommand.class.getName(),
                "Denoise Study Folder (Batch)...", DenoiseStudyFolderCommand.class.getName(),
                "Denoise Current Image...", DenoiseCurrentImageCommand.class.getName(),
                "Compare Before/After...", CompareBeforeAfterCommand.class.getName(),
                "Model Info...", ModelInfoCommand.class.getName());
        expected.forEach((cmd, cls) -> assertEquals(cls, commands.get(cmd), "command " + cmd));
        long ours = commands.values().stream().filter(v -> String.valueOf(v).startsWith("org.diffdenoise")).count();
        assertEquals(5, ours, "one command per action: " + commands);
    }

    @Test
    void batchMacroWritesTheGoodSeriesAndReportsTheBrokenOne(@TempDir Path tmp) throws Exception {
        Path study = FijiTestSupport.studyWithBrokenSeries(tmp);
        Path out = tmp.resolve("out");
        Path results = tmp.resolve("results.txt");
        String macro = "run(\"Denoise Study Folder (Batch)...\", \"input=[" + FijiTestSupport.macroPath(study) + "] output=["
                + FijiTestSupport.macroPath(out) + "] steps=2 samples=1 seed=42 noise_sigma=[] method=diffusion model=[]\");\n"
                + "File.saveString(call(\"org.diffdenoise.fiji.MacroResults.written\") + \" \" + call(\"org.diffdenoise.fiji.MacroResults.failed\")"
                + " + \"\\n\" + call(\"org.diffdenoise.fiji.MacroResults.report\"), \"" + FijiTestSupport.macroPath(results) + "\");\n";
        env.runMacro(macro, "");
        String text = Files.readString(results);
        assertTrue(text.startsWith("1 1\n"), text);
        assertTrue(text.contains("FAILED") && text.contains("MR_truncated.dcm"), text);
        List<Path> derived = FijiTestSupport.derivedSeries(out);
        assertEquals(1, derived.size(), "derived series: " + derived);
        assertEquals(FijiTestSupport.SLICES, FijiTestSupport.dcmCount(derived.get(0)));
    }
}
