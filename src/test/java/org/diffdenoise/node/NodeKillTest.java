package org.diffdenoise.node;

import static org.diffdenoise.node.DicomNodeTest.await;
import static org.diffdenoise.node.DicomNodeTest.files;
import static org.diffdenoise.node.DicomNodeTest.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real command-line node ({@code DiffDenoiseCli serve} in a JVM of its own) killed with SIGKILL
 * ({@link Process#destroyForcibly()}) between dcmtk's storescu and storescp, and restarted on the same work folder.
 *
 * <p>"Exactly once" at the destination, as asserted here: every source series becomes exactly one derived series
 * with all its instances (one distinct SOP Instance UID per derived instance, no other UIDs); a C-STORE request is
 * repeated only for an instance that the destination had already received before the kill (the interrupted send
 * is redone from the same outbox files, so with the same SOP Instance UIDs), and at most once.
 */
class NodeKillTest {
    private static final String NODE = "NODE";
    private static final String SENDER = "SRC";
    private static final String DEST = "DEST";
    private static final int SLICES = 3;

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * kill -9 with all three series queued (none denoised yet), restart; kill -9 again while the first derived series
     * is being stored at a slow destination, restart: each series arrives once, the interrupted one resent as is.
     */
    @Test
    @Timeout(240)
    void killedWhileQueuedAndWhileSendingEverySeriesArrivesOnce() throws Exception {
        Path work = tmp.resolve("work");
        Path dest = tmp.resolve("dest");
        Path scpLog = tmp.resolve("storescp.log");
        int destPort = DcmtkPeers.freePort();
        Map<String, List<Path>> sources = sources(3);

        // 1. destination down; the three series arrive in one association, so they become complete together and
        // the (diffusion) denoiser, loading its model, cannot have finished them all when the node is killed
        Process node = startNode(work, destPort, "diffusion");
        send(nodePort, sources);
        await(90, () -> stage(work, SeriesQueue.RECEIVED) == 0
                && stage(work, SeriesQueue.QUEUED) + stage(work, SeriesQueue.DENOISED) == 3, "the series were not queued");
        int queuedAtKill = stage(work, SeriesQueue.QUEUED);
        kill(node);
        assertTrue(queuedAtKill >= 1, "killed with " + queuedAtKill + " series still in queued/");
        assertEquals(0, stage(work, SeriesQueue.FORWARDED));
        assertEquals(3, stage(work, SeriesQueue.QUEUED) + stage(work, SeriesQueue.DENOISED), "nothing lost by the kill");

        // 2. restart; a slow destination (it sleeps 1 s after each store): kill as soon as it has stored one
        // instance (storescp writes a file only once the whole data set has arrived)
        try (DcmtkPeers peers = new DcmtkPeers()) {
            peers.storescp(DEST, destPort, dest, scpLog, "+uf", "--sleep-after", "1");
            node = startNode(work, destPort, "diffusion");
            await(120, () -> !files(dest).isEmpty(), "nothing was forwarded after the restart");
            kill(node);
            assertTrue(stage(work, SeriesQueue.FORWARDED) < 3, "the kill came after every series was sent");
            Thread.sleep(1500); // the request in progress at the destination is finished and written
            Set<String> beforeKill = new HashSet<>(received(dest).keySet());
            int requestsBeforeKill = storeRequests(scpLog);
            int storedBeforeKill = files(dest).size();
            // a request whose data set the kill cut off is logged by storescp but not stored: only the one in flight
            assertTrue(requestsBeforeKill - storedBeforeKill <= 1, requestsBeforeKill + " requests, " + storedBeforeKill + " stored");
            assertFalse(beforeKill.isEmpty(), "the destination stored nothing before the kill");

            // 3. restart again: the rest of the backlog, and the interrupted series again from its outbox
            node = startNode(work, destPort, "diffusion");
            await(150, () -> stage(work, SeriesQueue.FORWARDED) == 3, "the backlog was not forwarded");
            kill(node);

            Map<String, Integer> perSop = received(dest);
            int requests = storeRequests(scpLog);
            int stored = files(dest).size();
            assertEquals(requests - requestsBeforeKill, stored - storedBeforeKill, "after the restart one file per C-STORE request (+uf)");
            assertDerivedSeriesOnce(dest, sources.keySet());
            int repeats = 0;
            for (Map.Entry<String, Integer> e : perSop.entrySet()) {
                if (e.getValue() == 1) continue;
                assertEquals(2, e.getValue(), "instance " + e.getKey() + " received " + e.getValue() + " times");
                assertTrue(beforeKill.contains(e.getKey()), "instance " + e.getKey() + " repeated but not sent before the kill");
                repeats++;
            }
            assertEquals(SLICES * 3 + repeats, stored, "stored = instances + resends of the interrupted send");
            assertTrue(repeats <= storedBeforeKill, repeats + " resends, " + storedBeforeKill + " stored before the kill");
            System.out.printf("kill -9 while queued (%d of 3 series queued) and while sending (%d requests, %d stored "
                    + "before the kill): %d requests, %d stored, %d instances, %d resent%n", queuedAtKill, requestsBeforeKill,
                    storedBeforeKill, requests, stored, perSop.size(), repeats);
        }
    }

    /** Destination down for about 10 s while three series are received and denoised; then up: the backlog arrives once. */
    @Test
    @Timeout(120)
    void aShortOutageIsBridgedAndTheBacklogDeliveredOnce() throws Exception {
        Path work = tmp.resolve("work");
        Path dest = tmp.resolve("dest");
        Path scpLog = tmp.resolve("storescp.log");
        int destPort = DcmtkPeers.freePort();
        Map<String, List<Path>> sources = sources(3);

        long down = System.nanoTime();
        startNode(work, destPort, "median");
        send(nodePort, sources);
        await(60, () -> stage(work, SeriesQueue.DENOISED) == 3, "the series were not denoised");
        await(30, () -> Files.readString(work.resolve(NodeLog.ERROR_FILE)).contains("not sent to " + DEST),
                "no failed send to the down destination logged");
        String status = runCli(60, "serve", "--status", "--work-dir", work.toString());
        assertTrue(status.contains("queue length: 3 series"), status);
        long remaining = 10_000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down);
        if (remaining > 0) Thread.sleep(remaining);
        assertEquals(0, stage(work, SeriesQueue.FORWARDED));

        try (DcmtkPeers peers = new DcmtkPeers()) {
            long up = System.nanoTime();
            peers.storescp(DEST, destPort, dest, scpLog, "+uf");
            await(60, () -> stage(work, SeriesQueue.FORWARDED) == 3, "the backlog was not delivered");
            double seconds = (System.nanoTime() - up) / 1e9;
            Thread.sleep(300);
            assertEquals(SLICES * 3, storeRequests(scpLog), "each instance stored once");
            assertEquals(SLICES * 3, files(dest).size());
            received(dest).forEach((sop, n) -> assertEquals(1, n, "instance " + sop));
            assertDerivedSeriesOnce(dest, sources.keySet());
            System.out.printf("outage of %.1f s: backlog of 3 series delivered %.1f s after the destination came up%n",
                    (up - down) / 1e9, seconds);
        }
    }

    private int nodePort;

    /** Starts {@code diffdenoise serve} as its own process; returns once it answers C-ECHO. */
    private Process startNode(Path work, int destPort, String method) throws Exception {
        nodePort = DcmtkPeers.freePort();
        Path out = tmp.resolve("node.out");
        Process p = new ProcessBuilder(cli("serve", "--work-dir", work.toString(), "--port", Integer.toString(nodePort),
                "--ae-title", NODE, "--accept", SENDER, "--forward", DEST + "@127.0.0.1:" + destPort, "--idle", "1",
                "--retry", "0.5", "--retry-max", "2", "--method", method))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        started.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (DcmtkPeers.echoscu(SENDER, NODE, nodePort).exitCode() == 0) return p;
            assertTrue(p.isAlive(), "the node exited: " + Files.readString(out));
            Thread.sleep(200);
        }
        throw new AssertionError("the node did not start: " + Files.readString(out));
    }

    /** SIGKILL (destroyForcibly on Linux), checked by the exit status 128 + 9. */
    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the node did not die");
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
    }

    private String runCli(int seconds, String... args) throws Exception {
        DcmtkPeers.Result r = DcmtkPeers.run(seconds, cli(args).toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.output());
        return r.output();
    }

    /** The java command of the CLI main class on this test's class path (target/classes and the dependencies). */
    private static List<String> cli(String... args) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", cp, "org.diffdenoise.cli.DiffDenoiseCli"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Map<String, List<Path>> sources(int n) throws Exception {
        Map<String, List<Path>> sources = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
            String uid = "1.2.826.0.1.3680043.9.7778." + i + "." + System.nanoTime();
            sources.put(uid, DcmtkPeers.newSeries(SLICES, tmp.resolve("series" + i), uid));
        }
        return sources;
    }

    /** All series in one storescu association. */
    private static void send(int port, Map<String, List<Path>> sources) throws Exception {
        List<Path> all = new ArrayList<>();
        sources.values().forEach(all::addAll);
        DcmtkPeers.Result r = DcmtkPeers.storescu(SENDER, NODE, port, all);
        assertEquals(0, r.exitCode(), r.output());
    }

    private static int storeRequests(Path scpLog) throws IOException {
        if (!Files.exists(scpLog)) return 0;
        String log = new String(Files.readAllBytes(scpLog), StandardCharsets.ISO_8859_1);
        return log.split("Received Store Request", -1).length - 1;
    }

    /** SOP Instance UID -> number of files received with it. */
    private static Map<String, Integer> received(Path dest) throws Exception {
        Map<String, Integer> perSop = new HashMap<>();
        for (Path f : files(dest)) perSop.merge(value(read(f), TagFromName.SOPInstanceUID), 1, Integer::sum);
        return perSop;
    }

    /** One derived series per source series, each with all its instances (distinct SOP Instance UIDs). */
    private static void assertDerivedSeriesOnce(Path dest, Set<String> sourceSeries) throws Exception {
        Map<String, Set<String>> instances = new HashMap<>();
        Map<String, Set<String>> derivedOf = new HashMap<>();
        for (Path f : files(dest)) {
            AttributeList a = read(f);
            String series = value(a, TagFromName.SeriesInstanceUID);
            instances.computeIfAbsent(series, k -> new HashSet<>()).add(value(a, TagFromName.SOPInstanceUID));
            var seq = (SequenceAttribute) a.get(TagFromName.ReferencedSeriesSequence);
            String source = Attribute.getSingleStringValueOrEmptyString(seq.getItem(0).getAttributeList(), TagFromName.SeriesInstanceUID);
            derivedOf.computeIfAbsent(source, k -> new HashSet<>()).add(series);
        }
        assertEquals(sourceSeries, derivedOf.keySet(), "a derived series for each source series");
        derivedOf.forEach((src, d) -> assertEquals(1, d.size(), "derived series of " + src + ": " + d));
        instances.forEach((s, i) -> assertEquals(SLICES, i.size(), "instances of derived series " + s));
        assertFalse(sourceSeries.stream().anyMatch(instances::containsKey), "a source series was forwarded unchanged");
    }

    private static AttributeList read(Path f) throws Exception {
        AttributeList a = new AttributeList();
        a.read(new File(f.toString()));
        return a;
    }

    private static String value(AttributeList a, com.pixelmed.dicom.AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(a, tag);
    }
}
