package org.diffdenoise.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only the leftovers of ended processes on this host are removed; a live run's folder and foreign ones stay. */
class OwnedTempFolderTest {

    private static long endedPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static Path withMarker(Path parent, String name, String from, String to) throws Exception {
        Path d = OwnedTempFolder.create(parent, name);
        Path m = d.resolve(OwnedTempFolder.MARKER);
        Files.writeString(m, Files.readString(m).replaceAll(from, to));
        return d;
    }

    @Test
    void removesEndedRunsOnlyAndLeavesLiveForeignAndRecentUnmarkedFolders(@TempDir Path tmp) throws Exception {
        Path live = OwnedTempFolder.create(tmp, "x-live");
        Path ended = withMarker(tmp, "x-ended", "pid=\\d+", "pid=" + endedPid());
        Path foreign = withMarker(tmp, "x-foreign", "host=[^\\n]*", "host=another-machine");
        Path rebooted = withMarker(tmp, "x-rebooted", "boot=[^\\n]*", "boot=00000000-dead-beef");
        Path unmarkedNew = Files.createDirectory(tmp.resolve("x-unmarked-new"));
        Path unmarkedOld = Files.createDirectory(tmp.resolve("x-unmarked-old"));
        Files.setLastModifiedTime(unmarkedOld, FileTime.from(Instant.now().minus(OwnedTempFolder.UNMARKED_AGE).minusSeconds(60)));
        Path notOurs = withMarker(tmp, "y-ended", "pid=\\d+", "pid=" + endedPid());
        Files.writeString(ended.resolve("data"), "partial series");

        List<Path> removed = OwnedTempFolder.removeStale(tmp, n -> n.startsWith("x-"));

        assertEquals(List.of(ended, rebooted, unmarkedOld).stream().sorted().toList(), removed.stream().sorted().toList());
        assertTrue(Files.isDirectory(live));
        assertTrue(Files.isDirectory(foreign));
        assertTrue(Files.isDirectory(unmarkedNew));
        assertTrue(Files.isDirectory(notOurs), "names the caller does not claim are never touched");
        assertFalse(OwnedTempFolder.ownerEnded(live));
    }

    @Test
    void aKillBetweenCreatingAndMarkingLeavesAnEmptyFolderThatIsRemovedButNeverAFolderWithData(@TempDir Path tmp) throws Exception {
        Path emptyKilled = Files.createDirectory(tmp.resolve("x-empty"));
        Path unmarkedWithData = Files.createDirectory(tmp.resolve("x-data"));
        Files.writeString(unmarkedWithData.resolve("IM0001.dcm"), "an instance");
        FileTime past = FileTime.from(Instant.now().minus(OwnedTempFolder.EMPTY_UNMARKED_AGE).minusSeconds(1));
        Files.setLastModifiedTime(emptyKilled, past);
        Files.setLastModifiedTime(unmarkedWithData, past);
        Path justCreated = Files.createDirectory(tmp.resolve("x-just-created"));

        List<Path> removed = OwnedTempFolder.removeStale(tmp, n -> n.startsWith("x-"));

        assertEquals(List.of(emptyKilled), removed);
        assertTrue(Files.isDirectory(unmarkedWithData), "data without a marker waits for the 24-hour rule");
        assertTrue(Files.isDirectory(justCreated), "a run may be about to write its marker");
    }

    @Test
    void aKillWhileWritingTheMarkerLeavesAFolderWithAnEmptyMarkerThatIsRemovedToo(@TempDir Path tmp) throws Exception {
        // found by scripts/audit.sh --hostile (kill-9-then-rerun): the marker file existed with 0 bytes, and the
        // rerun kept the folder for good (no host in the marker read as "another machine's run")
        Path killed = Files.createDirectory(tmp.resolve("x-killed"));
        Files.createFile(killed.resolve(OwnedTempFolder.MARKER));
        Path halfWritten = Files.createDirectory(tmp.resolve("x-half"));
        Files.writeString(halfWritten.resolve(OwnedTempFolder.MARKER), "host=");
        Path withData = Files.createDirectory(tmp.resolve("x-data"));
        Files.createFile(withData.resolve(OwnedTempFolder.MARKER));
        Files.writeString(withData.resolve("IM0001.dcm"), "an instance");
        FileTime past = FileTime.from(Instant.now().minus(OwnedTempFolder.EMPTY_UNMARKED_AGE).minusSeconds(1));
        for (Path p : List.of(killed, halfWritten, withData)) Files.setLastModifiedTime(p, past);
        Path justCreated = Files.createDirectory(tmp.resolve("x-just-created"));
        Files.createFile(justCreated.resolve(OwnedTempFolder.MARKER));

        List<Path> removed = OwnedTempFolder.removeStale(tmp, n -> n.startsWith("x-"));

        assertEquals(java.util.Set.of(killed, halfWritten), java.util.Set.copyOf(removed));
        assertTrue(Files.isDirectory(withData), "data beside an incomplete marker waits for the 24-hour rule");
        assertTrue(Files.isDirectory(justCreated), "a run may be writing its marker right now");
    }

    @Test
    void aFolderInTheSystemTempRemovesEndedRunsFoldersButNeverAUsersLookalike() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        String n = Long.toUnsignedString(new java.util.Random().nextLong());
        Path ended = withMarker(tmp, "diffdenoise-model" + n, "pid=\\d+", "pid=" + endedPid());
        Path users = withMarker(tmp, "diffdenoise-model-results-" + n, "pid=\\d+", "pid=" + endedPid());
        Path fresh = OwnedTempFolder.createInSystemTemp("diffdenoise-test");
        List<Path> removed = OwnedTempFolder.removeStaleInSystemTemp();  // what the first call in a process also does
        try {
            assertFalse(Files.exists(ended), "the killed run's folder is gone");
            assertFalse(removed.contains(fresh));
            assertTrue(Files.isDirectory(users), "a name this project does not make is never touched");
            assertTrue(Files.isRegularFile(fresh.resolve(OwnedTempFolder.MARKER)));
        } finally {
            FileTrees.deleteQuietly(fresh);
            FileTrees.deleteQuietly(ended);
            FileTrees.deleteQuietly(users);
        }
    }
}
