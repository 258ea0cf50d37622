package org.diffdenoise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code diffdenoise serve}: usage errors and the status of a work folder. */
class ServeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void statusReadsTheQueueFromDisk() throws Exception {
        Path work = tmp.resolve("work");
        Path series = Files.createDirectories(work.resolve("denoised").resolve("1796500000000-1.2.3"));
        Files.createDirectories(work.resolve("queued").resolve("1796500000001-1.2.4"));
        Files.writeString(series.resolve("sent@PACS_10.0.0.1_104"), "x");
        Files.writeString(work.resolve("errors.log"), "2026-12-05T10:00:00Z ERROR series 1.2.3 not sent to ARCHIVE@10.0.0.2:104: no association\n");
        DiffDenoiseCliTest.Run r = DiffDenoiseCliTest.run("serve", "--status", "--work-dir", work.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("queue length: 2 series not yet forwarded"), r.out());
        assertTrue(r.out().contains("waiting to be sent: 1796500000000-1.2.3 (already stored at: PACS_10.0.0.1_104)"), r.out());
        assertTrue(r.out().contains("not sent to ARCHIVE@10.0.0.2:104"), r.out());
    }

    @Test
    void missingOrMalformedSettingsAreUsageErrors() {
        String work = tmp.resolve("work").toString();
        DiffDenoiseCliTest.Run noForward = DiffDenoiseCliTest.run("serve", "--work-dir", work, "--accept", "SCANNER");
        assertEquals(DiffDenoiseCli.EXIT_USAGE, noForward.code());
        assertTrue(noForward.err().contains("at least one --forward destination"), noForward.err());
        DiffDenoiseCliTest.Run badForward = DiffDenoiseCliTest.run("serve", "--work-dir", work, "--accept", "SCANNER",
                "--forward", "PACS@host");
        assertEquals(DiffDenoiseCli.EXIT_USAGE, badForward.code());
        assertTrue(badForward.err().contains("is not AE@host:port"), badForward.err());
        DiffDenoiseCliTest.Run noAccept = DiffDenoiseCliTest.run("serve", "--work-dir", work, "--forward", "PACS@localhost:104");
        assertEquals(DiffDenoiseCli.EXIT_USAGE, noAccept.code());
        assertTrue(noAccept.err().contains("--accept is needed"), noAccept.err());
        assertFalse(noAccept.err().contains("Exception"), noAccept.err());
        DiffDenoiseCliTest.Run noWork = DiffDenoiseCliTest.run("serve", "--status", "--work-dir", tmp.resolve("nothing").toString());
        assertEquals(DiffDenoiseCli.EXIT_USAGE, noWork.code());
        assertTrue(noWork.err().contains("work folder does not exist"), noWork.err());
    }
}
