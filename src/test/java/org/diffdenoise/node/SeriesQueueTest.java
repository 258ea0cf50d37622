package org.diffdenoise.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk queue: stage folders, recovery after a crash, resends taken once. */
class SeriesQueueTest {
    @TempDir
    Path work;

    private ReceivedInstance instance(SeriesQueue q, String series, String sop) throws IOException {
        Path f = Files.createTempFile(q.incoming(), "receiving-", ".dcm");
        Files.writeString(f, sop);
        return new ReceivedInstance("1.2.840.10008.5.1.4.1.1.4", sop, series, "1.2.3", "SRC", f);
    }

    private static List<String> names(Path dir) throws IOException {
        return DurableFiles.files(dir).stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void aSeriesIsQueuedOnlyAfterItsIdleTimeWithAllItsInstances() throws IOException {
        SeriesQueue q = new SeriesQueue(work);
        NodeLog log = new NodeLog(null, work);
        q.store(instance(q, "1.2.3.4", "1.2.3.4.1"));
        q.store(instance(q, "1.2.3.4", "1.2.3.4.2"));
        assertTrue(q.queueIdle(60_000_000_000L, log).isEmpty(), "still within its idle time");
        List<Path> queued = q.queueIdle(0, log);
        assertEquals(1, queued.size());
        assertEquals(List.of("1.2.3.4.1.dcm", "1.2.3.4.2.dcm"), names(queued.get(0).resolve(SeriesQueue.INSTANCES)));
        assertTrue(queued.get(0).getFileName().toString().endsWith("-1.2.3.4"));
        assertEquals(List.of(), DurableFiles.folders(work.resolve(SeriesQueue.RECEIVED)));
        assertEquals(List.of(), names(q.incoming()), "received files were moved, not copied");
    }

    @Test
    void aResentInstanceOfAQueuedSeriesIsTakenOnceAndANewOneFormsASecondBatch() throws IOException, InterruptedException {
        SeriesQueue q = new SeriesQueue(work);
        NodeLog log = new NodeLog(null, work);
        q.store(instance(q, "1.2.3.4", "1.2.3.4.1"));
        q.store(instance(q, "1.2.3.4", "1.2.3.4.2"));
        q.queueIdle(0, log);
        q.store(instance(q, "1.2.3.4", "1.2.3.4.2"));
        assertTrue(q.queueIdle(0, log).isEmpty(), "a resend is not a new series");
        assertTrue(Files.readString(work.resolve(NodeLog.LOG_FILE)).contains("already taken, ignored"));
        Thread.sleep(2); // queue folder names carry the time in milliseconds
        q.store(instance(q, "1.2.3.4", "1.2.3.4.2"));
        q.store(instance(q, "1.2.3.4", "1.2.3.4.3"));
        List<Path> second = q.queueIdle(0, log);
        assertEquals(1, second.size());
        assertEquals(List.of("1.2.3.4.3.dcm"), names(second.get(0).resolve(SeriesQueue.INSTANCES)));
        assertEquals(2, DurableFiles.folders(work.resolve(SeriesQueue.QUEUED)).size());
    }

    @Test
    void recoveryDropsPartialFilesAndResumesEveryStage() throws IOException {
        SeriesQueue q = new SeriesQueue(work);
        NodeLog log = new NodeLog(null, work);
        q.store(instance(q, "1.2.3.4", "1.2.3.4.1"));
        Path queued = q.queueIdle(0, log).get(0);
        q.store(instance(q, "1.2.3.5", "1.2.3.5.1"));
        // a crash while receiving (partial file in incoming/) and while denoising (partial output in work/)
        Files.writeString(q.incoming().resolve("receiving-1.dcm"), "partial");
        Files.createDirectories(queued.resolve(SeriesQueue.WORK).resolve("out"));
        Files.writeString(queued.resolve(SeriesQueue.WORK).resolve("out").resolve("x.dcm"), "partial");

        SeriesQueue after = new SeriesQueue(work);
        List<Path> toDenoise = after.recover();
        assertEquals(List.of(queued), toDenoise);
        assertFalse(Files.exists(queued.resolve(SeriesQueue.WORK)), "partial output dropped");
        assertEquals(List.of(), names(after.incoming()), "partly received instance dropped");
        assertEquals(1, after.receiving(), "the series still arriving waits for a fresh idle time");
        List<Path> requeued = after.queueIdle(0, log);
        assertEquals(1, requeued.size());
        assertEquals(List.of("1.2.3.5.1.dcm"), names(requeued.get(0).resolve(SeriesQueue.INSTANCES)));
    }

    @Test
    void logLinesEscapeControlCharacters() {
        assertEquals("AE\\x1b[31m\\x0aforged line\\x5c", NodeLog.escape("AE\u001b[31m\nforged line\\"));
        assertEquals("1.2.3", NodeLog.escape("1.2.3"));
    }

    /**
     * Instances refused for lack of space keep their series receiving (also across a restart) until the sender sends
     * them again, so that the batch is whole; if they never come, after 60 idle periods the batch is queued marked as
     * missing them (and the denoiser gives it up as incomplete).
     */
    @Test
    void aSeriesWithRefusedInstancesWaitsForThemAndIsMarkedIncompleteWhenTheyDoNotCome() throws Exception {
        long idle = 20_000_000L; // 20 ms: the wait is 60 of these, 1.2 s
        SeriesQueue q = new SeriesQueue(work);
        NodeLog log = new NodeLog(null, work);
        q.store(instance(q, "1.2.3.4", "1.2.3.4.1"));
        assertEquals(List.of("1.2.3.4"), q.refused(Set.of("1.2.3.4"), Set.of("1.2.3.4.2", "1.2.3.4.1")));
        Thread.sleep(50);
        assertTrue(q.queueIdle(idle, log).isEmpty(), "held for the refused instance");
        assertTrue(QueueStatus.read(work).format().contains("receiving: 1.2.3.4 waits for 1 instance(s) refused for lack of space"),
                QueueStatus.read(work).format());
        SeriesQueue restarted = new SeriesQueue(work);
        restarted.recover();
        Thread.sleep(50);
        assertTrue(restarted.queueIdle(idle, log).isEmpty(), "still held after a restart");
        restarted.store(instance(restarted, "1.2.3.4", "1.2.3.4.2"));
        Thread.sleep(50);
        List<Path> whole = restarted.queueIdle(idle, log);
        assertEquals(1, whole.size(), "queued one idle period after the resend");
        assertEquals(List.of("1.2.3.4.1.dcm", "1.2.3.4.2.dcm"), names(whole.get(0).resolve(SeriesQueue.INSTANCES)));
        assertFalse(SeriesQueue.readTimes(whole.get(0)).containsKey(SeriesQueue.NOT_RESENT));

        restarted.store(instance(restarted, "1.2.3.9", "1.2.3.9.1"));
        restarted.refused(Set.of("1.2.3.9"), Set.of("1.2.3.9.2"));
        Thread.sleep(50);
        assertTrue(restarted.queueIdle(idle, log).isEmpty());
        Thread.sleep(1300);
        List<Path> partial = restarted.queueIdle(idle, log);
        assertEquals(1, partial.size(), "queued after 60 idle periods without the refused instance");
        Properties times = SeriesQueue.readTimes(partial.get(0));
        assertEquals("1", times.getProperty(SeriesQueue.NOT_RESENT));
        assertTrue(Files.readString(work.resolve(NodeLog.LOG_FILE)).contains("1 instance(s) refused for lack of space were not sent again"));
    }
}
