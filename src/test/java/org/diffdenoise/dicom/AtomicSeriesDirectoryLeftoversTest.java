package org.diffdenoise.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.diffdenoise.api.OwnedTempFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run killed while committing leaves in OUTPUT is put right by the next run; finished series carry no marker. */
class AtomicSeriesDirectoryLeftoversTest {

    @Test
    void aSetAsideSeriesIsRestoredWhenItsReplacementNeverArrivedAndDroppedWhenItDid(@TempDir Path out) throws Exception {
        Path lost = Files.createDirectories(out.resolve(".1001_a_DiffDenoise_01234567.old-" + UUID.randomUUID()));
        Files.writeString(lost.resolve("IM0001.dcm"), "previous output");
        Path replaced = Files.createDirectories(out.resolve(".1002_b_DiffDenoise_89abcdef.old-" + UUID.randomUUID()));
        Path replacement = Files.createDirectories(out.resolve("1002_b_DiffDenoise_89abcdef"));
        Path unrelated = Files.createDirectories(out.resolve(".1003_c.old-backup"));

        List<String> done = AtomicSeriesDirectory.removeLeftovers(out);

        assertEquals(2, done.size(), done.toString());
        assertEquals("previous output", Files.readString(out.resolve("1001_a_DiffDenoise_01234567/IM0001.dcm")));
        assertFalse(Files.exists(lost));
        assertFalse(Files.exists(replaced));
        assertTrue(Files.isDirectory(replacement));
        assertTrue(Files.isDirectory(unrelated), "names this class never makes are left alone");
    }

    @Test
    void aCommittedSeriesHasNoOwnerMarkerAndTheWorkFolderHadOne(@TempDir Path out) throws Exception {
        Path target;
        try (AtomicSeriesDirectory d = AtomicSeriesDirectory.open(out, "1001_x_DiffDenoise_00000000", false)) {
            assertTrue(Files.isRegularFile(d.tempDirectory().resolve(OwnedTempFolder.MARKER)));
            assertTrue(AtomicSeriesDirectory.isWorkFolderName(d.tempDirectory().getFileName().toString()));
            Files.writeString(d.tempDirectory().resolve("IM0001.dcm"), "x");
            target = d.commit();
        }
        try (var s = Files.list(target)) {
            assertEquals(List.of("IM0001.dcm"), s.map(p -> p.getFileName().toString()).toList());
        }
    }
}
