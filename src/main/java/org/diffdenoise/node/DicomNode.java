package org.diffdenoise.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.pipeline.StudyDenoiser;

/**
 * A DICOM node: receives series (Storage SCP), denoises each complete series with the {@code denoise} pipeline and
 * forwards the derived series (C-STORE SCU), through the crash-safe {@link SeriesQueue}. Receiving never waits
 * for denoising; denoising never waits for a destination. This class receives and watches for idle series; it wires
 * the {@link DenoiseWorker} threads and the {@link SeriesForwarder}.
 */
public final class DicomNode implements AutoCloseable {
    private final NodeSettings settings;
    private final DicomNetwork network;
    private final Supplier<StudyDenoiser> denoisers;
    private final NodeLog log;
    private final SeriesQueue queue;
    private final CancelToken cancel = new CancelToken();
    private final LinkedBlockingQueue<Path> toDenoise = new LinkedBlockingQueue<>();
    private final SeriesForwarder forwarding;
    private ScheduledExecutorService idleWatch;
    private ExecutorService denoiseWorkers;
    private Thread forwarder;
    private StorageListener listener;
    private volatile boolean stopped;

    /**
     * @param denoisers makes one {@link StudyDenoiser} per denoising thread (each loads the model once)
     */
    public DicomNode(NodeSettings settings, DicomNetwork network, Supplier<StudyDenoiser> denoisers, NodeLog log)
            throws IOException {
        this.settings = settings;
        this.network = network;
        this.denoisers = denoisers;
        this.log = log;
        this.queue = new SeriesQueue(settings.workDir());
        this.forwarding = new SeriesForwarder(settings, network, queue, log, () -> stopped);
    }

    /** Recovers the queue from disk, then starts listening, denoising and forwarding. */
    public synchronized void start() throws IOException {
        List<Path> pending = queue.recover();
        int denoised = DurableFiles.folders(queue.stage(SeriesQueue.DENOISED)).size();
        if (!pending.isEmpty() || denoised > 0 || queue.receiving() > 0)
            log.info("resuming: " + queue.receiving() + " series receiving, " + pending.size() + " queued, " + denoised
                    + " denoised and not yet forwarded");
        toDenoise.addAll(pending);
        denoiseWorkers = Executors.newFixedThreadPool(settings.denoisers(), daemon("denoiser"));
        DenoiseWorker worker = new DenoiseWorker(settings, queue, toDenoise, denoisers, log, cancel, () -> stopped,
                forwarding::wake);
        for (int i = 0; i < settings.denoisers(); i++) denoiseWorkers.execute(worker);
        forwarder = daemon("forwarder").newThread(forwarding);
        forwarder.start();
        idleWatch = Executors.newSingleThreadScheduledExecutor(daemon("series-idle"));
        long period = Math.max(50, Math.min(1000, settings.seriesIdle().toMillis() / 4));
        idleWatch.scheduleWithFixedDelay(this::queueIdleSeries, period, period, TimeUnit.MILLISECONDS);
        try {
            listener = network.listen(settings.port(), settings.aeTitle(), settings::accepts, queue.incoming(), new ReceivedInstanceSink() {
                @Override
                public void store(ReceivedInstance instance) throws IOException {
                    receive(instance);
                }

                @Override
                public void refused(Set<String> seriesUids, Set<String> sopUids) {
                    awaitRefused(seriesUids, sopUids);
                }
            });
        } catch (IOException e) {
            close();
            throw new IOException("cannot listen on port " + settings.port() + ": " + e.getMessage(), e);
        }
        log.info("listening as " + settings.aeTitle() + " on port " + listener.port() + ", accepting "
                + settings.accept() + ", forwarding to " + settings.forward() + ", work folder " + settings.workDir());
    }

    /** The port the Storage SCP listens on. */
    public int port() {
        return listener.port();
    }

    /**
     * Stops at once, as a crash would as far as the queue is concerned: no new association, denoising cancelled
     * (its partial output is dropped at the next start), no further stage change.
     */
    @Override
    public void close() {
        stopped = true;
        cancel.cancel();
        if (listener != null) listener.close();
        if (idleWatch != null) idleWatch.shutdownNow();
        if (denoiseWorkers != null) denoiseWorkers.shutdownNow();
        if (forwarder != null) forwarder.interrupt();
        try {
            if (denoiseWorkers != null) denoiseWorkers.awaitTermination(60, TimeUnit.SECONDS);
            if (forwarder != null) forwarder.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void receive(ReceivedInstance instance) throws IOException {
        if (stopped) throw new IOException("the node is stopping");
        queue.store(instance);
    }

    /** Series that had instances refused for lack of space wait for the sender to send them again. */
    private void awaitRefused(Set<String> seriesUids, Set<String> sopUids) {
        try {
            for (String key : queue.refused(seriesUids, sopUids))
                log.error("series " + NodeLog.escape(key) + ": " + sopUids.size() + " instance(s) refused for lack of space; the series waits"
                        + " up to " + SeriesQueue.AWAIT_IDLE_PERIODS + " idle periods for the sender to send them again");
        } catch (IOException | RuntimeException e) {
            log.error("cannot record refused instances: " + NodeLog.escape(e.getMessage()));
        }
    }

    private void queueIdleSeries() {
        if (stopped) return;
        try {
            toDenoise.addAll(queue.queueIdle(settings.seriesIdle().toNanos(), log));
        } catch (IOException | RuntimeException e) {
            log.error("cannot queue received series: " + NodeLog.escape(e.getMessage()));
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, "node-" + name);
            t.setDaemon(true);
            return t;
        };
    }
}
