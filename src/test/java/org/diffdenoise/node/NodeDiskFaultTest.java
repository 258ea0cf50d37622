package org.diffdenoise.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DicomBackend;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.OutputWriteException;
import org.diffdenoise.node.pixelmed.PixelMedNetwork;
import org.diffdenoise.pipeline.BatchOptions;
import org.diffdenoise.pipeline.DenoiserRegistry;
import org.diffdenoise.pipeline.StudyDenoiser;
import org.diffdenoise.testing.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node on a full work-folder disk: a derived series it cannot write stays queued and is forwarded once the disk
 * takes it; a sent series whose marker cannot be written is not resent every second; instances refused for lack of
 * space are waited for, and a batch without them is given up as incomplete. The writer's fault is injected in the first
 * test (a real full disk under the writer: {@code OutputDiskFullTest}); the refusals come from a real full tmpfs.
 */
class NodeDiskFaultTest {
    private static final String NODE = DicomNodeTest.NODE;
    private static final String SENDER = DicomNodeTest.SENDER;
    private static final String DEST = DicomNodeTest.DEST;

    @TempDir
    Path tmp;

    /** One destination, one denoiser, defaults otherwise; the back-off from {@code retry} doubling up to {@code retryMax}. */
    private static NodeSettings settings(Path work, DicomDestination dest, Duration idle, Duration retry, Duration retryMax) {
        return new NodeSettings(0, NODE, work, List.of(AcceptedCaller.parse(SENDER)), List.of(dest), idle, 1, false, false,
                BatchOptions.defaults(), retry, retryMax);
    }

    /** The PixelMed backend, except that its first {@code faults} derived series fail as on a full disk. */
    private static DicomBackend fullDiskFirst(int faults, AtomicInteger writes) {
        DicomBackend real = Dicom.backend();
        return (DicomBackend) Proxy.newProxyInstance(DicomBackend.class.getClassLoader(), new Class<?>[] {DicomBackend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("writeDerived") && args.length == 5 && writes.incrementAndGet() <= faults) {
                        Path first = ((DicomSeries) args[0]).geometry().get(0).file();
                        throw new OutputWriteException(((Path) args[3]).resolve("IM0001.dcm"), "cannot write derived instance of "
                                + first + ": No space left on device", new IOException("No space left on device"));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    @Timeout(120)
    void aSeriesThatCannotBeWrittenStaysQueuedAndIsForwardedOnceTheDiskTakesIt() throws Exception {
        Path work = tmp.resolve("work");
        Path dest = tmp.resolve("dest");
        List<Path> source = DcmtkPeers.daikonSlices(2, tmp.resolve("source"));
        AtomicInteger writes = new AtomicInteger();
        NodeSettings s = settings(work, new DicomDestination(DEST, "localhost", DcmtkPeers.freePort()), Duration.ofMillis(500),
                Duration.ofMillis(200), Duration.ofMillis(400));
        NodeLog log = new NodeLog(System.out, work);
        try (DcmtkPeers peers = new DcmtkPeers()) {
            peers.storescp(DEST, s.forward().get(0).port(), dest, tmp.resolve("storescp.log"));
            DicomNode node = new DicomNode(s, new PixelMedNetwork(log::info), () -> new StudyDenoiser(fullDiskFirst(2, writes),
                    () -> DenoiserRegistry.create(DenoiserRegistry.Method.median, null)), log);
            try {
                node.start();
                DcmtkPeers.Result sent = DcmtkPeers.storescu(SENDER, NODE, node.port(), source);
                assertEquals(0, sent.exitCode(), sent.output());
                DicomNodeTest.await(90, () -> DicomNodeTest.stage(work, SeriesQueue.FORWARDED) == 1, "the series was not forwarded");
            } finally {
                node.close();
            }
        }
        assertEquals(3, writes.get(), "two writes failed, the third was forwarded");
        assertEquals(0, DicomNodeTest.stage(work, SeriesQueue.FAILED), "nothing given up");
        assertEquals(source.size(), DicomNodeTest.files(dest).size(), "the derived series arrived complete");
        String errors = Files.readString(work.resolve(NodeLog.ERROR_FILE));
        assertTrue(errors.contains("No space left on device; kept in queued, trying again in 0.2 s")
                && errors.contains("trying again in 0.4 s"), errors);
    }

    /**
     * A series was sent but its sent@ marker cannot be written (a full disk, here a folder in the way of the marker's
     * temporary file): the forwarder waits its back-off before sending again, instead of sending the series every second,
     * and marks it once the marker can be written.
     */
    @Test
    @Timeout(60)
    void aSentSeriesWhoseMarkerCannotBeWrittenIsNotSentAgainEverySecond() throws Exception {
        Path work = tmp.resolve("work");
        SeriesQueue queue = new SeriesQueue(work);
        DicomDestination dest = new DicomDestination(DEST, "localhost", 104);
        Path series = queue.stage(SeriesQueue.DENOISED).resolve("1-1.2.3");
        Files.createDirectories(series.resolve(SeriesQueue.INSTANCES));
        Files.writeString(Files.createDirectories(series.resolve(SeriesQueue.OUTBOX)).resolve("IM0001.dcm"), "derived");
        Files.writeString(series.resolve(SeriesQueue.TIMES), "series=1.2.3\nfirstReceived=2026-12-07T00:00:00Z\n");
        Path blocker = series.resolve("." + SeriesQueue.SENT_PREFIX + SeriesQueue.key(dest.toString().replace(':', '_')) + ".tmp");
        Files.writeString(Files.createDirectories(blocker).resolve("x"), "in the way");
        AtomicInteger sends = new AtomicInteger();
        DicomNetwork network = new DicomNetwork() {
            @Override
            public StorageListener listen(int port, String aeTitle, java.util.function.BiPredicate<String, java.net.InetAddress> accept,
                                          Path incoming, ReceivedInstanceSink sink) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void send(DicomDestination d, String callingAeTitle, List<Path> files) {
                sends.incrementAndGet();
            }
        };
        NodeSettings s = settings(work, dest, Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(3));
        AtomicBoolean stopped = new AtomicBoolean();
        SeriesForwarder forwarder = new SeriesForwarder(s, network, queue, new NodeLog(System.out, work), stopped::get);
        Thread t = new Thread(forwarder);
        t.start();
        try {
            Thread.sleep(2500);
            assertEquals(1, sends.get(), "sent once, then the back-off (3 s), not every second");
            String errors = Files.readString(work.resolve(NodeLog.ERROR_FILE));
            assertTrue(errors.contains("trying again in 3.0 s"), errors);
            org.diffdenoise.api.FileTrees.delete(blocker);
            DicomNodeTest.await(10, () -> DicomNodeTest.stage(work, SeriesQueue.FORWARDED) == 1, "the series was not marked forwarded");
            assertEquals(2, sends.get(), "sent again once after the back-off, then marked");
        } finally {
            stopped.set(true);
            t.interrupt();
            t.join(10_000);
        }
    }

    /**
     * A real full disk under the work folder (a 1 MiB tmpfs with room for one instance; needs root, skipped where no
     * tmpfs can be mounted): the instances that do not fit are refused with 0xA700 (Out of Resources), so the sender
     * keeps them; the node goes on answering, and once there is room the sender's resend completes the series, which is
     * forwarded whole.
     */
    @Test
    @Timeout(120)
    void instancesAFullDiskCannotTakeAreRefusedAndTheResendIsForwarded() throws Exception {
        Path disk = tmp.resolve("disk");
        try (Tmpfs mounted = Tmpfs.mount(disk, "1m")) {
            Path filler = disk.resolve("filler");
            Files.write(filler, new byte[1024 * 1024 - 300 * 1024]);
            Path work = disk.resolve("work");
            Path dest = tmp.resolve("dest");
            List<Path> source = DcmtkPeers.daikonSlices(3, tmp.resolve("source"));
            NodeSettings s = settings(work, new DicomDestination(DEST, "localhost", DcmtkPeers.freePort()), Duration.ofSeconds(3),
                    Duration.ofMillis(200), Duration.ofMillis(400));
            NodeLog log = new NodeLog(System.out, work);
            try (DcmtkPeers peers = new DcmtkPeers()) {
                peers.storescp(DEST, s.forward().get(0).port(), dest, tmp.resolve("storescp.log"));
                DicomNode node = new DicomNode(s, new PixelMedNetwork(log::info), () -> new StudyDenoiser(Dicom.backend(),
                        () -> DenoiserRegistry.create(DenoiserRegistry.Method.median, null)), log);
                try {
                    node.start();
                    DcmtkPeers.Result full = DcmtkPeers.storescu(SENDER, NODE, node.port(), source, "-v");
                    assertTrue(full.output().contains("Received Store Response (Success)")
                            && full.output().contains("Received Store Response (Refused: OutOfResources)"), full.output());
                    assertEquals(0, DcmtkPeers.echoscu(SENDER, NODE, node.port()).exitCode(), "the node still answers");
                    Files.delete(filler);
                    DcmtkPeers.Result resent = DcmtkPeers.storescu(SENDER, NODE, node.port(), source, "-v");
                    assertEquals(0, resent.exitCode(), resent.output());
                    DicomNodeTest.await(60, () -> DicomNodeTest.stage(work, SeriesQueue.FORWARDED) == 1, "the series was not forwarded");
                } finally {
                    node.close();
                }
            }
            assertEquals(source.size(), DicomNodeTest.files(dest).size(), "the derived series arrived whole");
        }
    }

    /** A batch queued without instances that were refused for lack of space is not denoised: a partial series never passes as whole. */
    @Test
    @Timeout(60)
    void aBatchMissingRefusedInstancesIsGivenUpAsIncomplete() throws Exception {
        Path work = tmp.resolve("work");
        SeriesQueue queue = new SeriesQueue(work);
        Path series = queue.stage(SeriesQueue.QUEUED).resolve("1-1.2.3");
        DcmtkPeers.daikonSlices(2, series.resolve(SeriesQueue.INSTANCES));
        Files.writeString(series.resolve(SeriesQueue.TIMES), "series=1.2.3\n" + SeriesQueue.NOT_RESENT + "=1\n");
        NodeSettings s = settings(work, new DicomDestination(DEST, "localhost", 104), Duration.ofSeconds(1),
                Duration.ofMillis(200), Duration.ofMillis(400));
        java.util.concurrent.LinkedBlockingQueue<Path> toDenoise = new java.util.concurrent.LinkedBlockingQueue<>(List.of(series));
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicInteger denoisedSeries = new AtomicInteger();
        DenoiseWorker worker = new DenoiseWorker(s, queue, toDenoise, () -> new StudyDenoiser(Dicom.backend(),
                () -> DenoiserRegistry.create(DenoiserRegistry.Method.median, null)), new NodeLog(System.out, work),
                new org.diffdenoise.api.CancelToken(), stopped::get, denoisedSeries::incrementAndGet);
        Thread t = new Thread(worker);
        t.start();
        try {
            DicomNodeTest.await(30, () -> DicomNodeTest.stage(work, SeriesQueue.FAILED) == 1, "the batch was not given up");
        } finally {
            stopped.set(true);
            t.interrupt();
            t.join(10_000);
        }
        assertEquals(0, denoisedSeries.get());
        String reason = Files.readString(queue.stage(SeriesQueue.FAILED).resolve("1-1.2.3").resolve(SeriesQueue.REASON));
        assertTrue(reason.contains("incomplete series: 1 instance(s) refused for lack of space were not sent again"), reason);
    }
}
