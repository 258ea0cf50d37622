package org.diffdenoise.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.pipeline.BatchListener;
import org.diffdenoise.pipeline.BatchReport;
import org.diffdenoise.pipeline.SeriesResult;
import org.diffdenoise.pipeline.SeriesStatus;
import org.diffdenoise.pipeline.StudyDenoiser;

/**
 * A DICOM node: receives series (Storage SCP), denoises each complete series with the {@code denoise} pipeline and
 * forwards the derived series (C-STORE SCU), through the crash-safe {@link SeriesQueue}. Receiving never waits
 * for denoising; denoising never waits for a destination.
 */
public final class DicomNode implements AutoCloseable {
    private final NodeSettings settings;
    private final DicomNetwork network;
    private final Supplier<StudyDenoiser> denoisers;
    private final NodeLog log;
    private final SeriesQueue queue;
    private final CancelToken cancel = new CancelToken();
    private final LinkedBlockingQueue<Path> toDenoise = new LinkedBlockingQueue<>();
    private final Object forwardSignal = new Object();
    private final Map<DicomDestination, Backoff> backoff = new HashMap<>();
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
        for (DicomDestination d : settings.forward()) backoff.put(d, new Backoff());
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
        for (int i = 0; i < settings.denoisers(); i++) denoiseWorkers.execute(this::denoiseLoop);
        forwarder = daemon("forwarder").newThread(this::forwardLoop);
        forwarder.start();
        idleWatch = Executors.newSingleThreadScheduledExecutor(daemon("series-idle"));
        long period = Math.max(50, Math.min(1000, settings.seriesIdle().toMillis() / 4));
        idleWatch.scheduleWithFixedDelay(this::queueIdleSeries, period, period, TimeUnit.MILLISECONDS);
        try {
            listener = network.listen(settings.port(), settings.aeTitle(), settings::accepts, queue.incoming(), this::receive);
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

    private void queueIdleSeries() {
        if (stopped) return;
        try {
            toDenoise.addAll(queue.queueIdle(settings.seriesIdle().toNanos(), log));
        } catch (IOException | RuntimeException e) {
            log.error("cannot queue received series: " + NodeLog.escape(e.getMessage()));
        }
    }

    private void denoiseLoop() {
        StudyDenoiser denoiser = null;
        try {
            while (!stopped) {
                Path series = toDenoise.take();
                if (denoiser == null) denoiser = denoisers.get();
                try {
                    denoise(series, denoiser);
                } catch (IOException | RuntimeException e) {
                    if (!stopped) setAside(series, e);
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } finally {
            if (denoiser != null) denoiser.close();
        }
    }

    /** queued/ -> denoised/ (or failed/): the derived series written into the series' outbox. */
    private void denoise(Path series, StudyDenoiser denoiser) throws IOException {
        Path outbox = series.resolve(SeriesQueue.OUTBOX);
        Properties times = SeriesQueue.readTimes(series);
        String uid = NodeLog.escape(times.getProperty("series", series.getFileName().toString()));
        if (!Files.isDirectory(outbox)) {
            Path work = series.resolve(SeriesQueue.WORK);
            DurableFiles.deleteTree(work);
            Path out = DurableFiles.createFolder(work.resolve("out"));
            long t0 = System.nanoTime();
            BatchReport report = denoiser.denoiseStudy(series.resolve(SeriesQueue.INSTANCES), out, settings.batch(),
                    new BatchListener() { }, cancel);
            if (stopped) return;
            double seconds = (System.nanoTime() - t0) / 1e9;
            String reason = failureReason(report);
            if (reason == null) {
                if (settings.forwardOriginal()) linkInstances(series, out.resolve("original"));
                times.setProperty("denoised", SeriesQueue.now());
                times.setProperty("denoiseSeconds", String.format(Locale.ROOT, "%.2f", seconds));
            } else {
                DurableFiles.write(series.resolve(SeriesQueue.REASON), reason + "\n");
                log.error("series " + uid + " cannot be denoised: " + NodeLog.escape(reason)
                        + (settings.forwardUnprocessed() ? "; forwarding it unchanged" : "; not forwarded"));
                if (!settings.forwardUnprocessed()) {
                    times.setProperty("failed", SeriesQueue.now());
                    SeriesQueue.writeTimes(series, times);
                    DurableFiles.deleteTree(work);
                    DurableFiles.move(series, queue.stage(SeriesQueue.FAILED).resolve(series.getFileName()));
                    return;
                }
                DurableFiles.deleteTree(out);
                linkInstances(series, DurableFiles.createFolder(out).resolve("original"));
                times.setProperty("unprocessed", SeriesQueue.now());
            }
            times.setProperty("outboxInstances", Integer.toString(DurableFiles.files(out).size()));
            SeriesQueue.writeTimes(series, times);
            DurableFiles.syncTree(out);
            DurableFiles.move(out, outbox);
            DurableFiles.deleteTree(work);
            if (reason == null)
                log.info(String.format(Locale.ROOT, "series %s denoised in %.1f s: %s instance(s) to forward", uid, seconds,
                        times.getProperty("outboxInstances")));
        }
        if (stopped) return;
        DurableFiles.move(series, queue.stage(SeriesQueue.DENOISED).resolve(series.getFileName()));
        synchronized (forwardSignal) {
            forwardSignal.notifyAll();
        }
    }

    /** A series whose denoising broke down (not a bad series: the disk, say) goes to failed/ with the reason, kept. */
    private void setAside(Path series, Exception e) {
        String reason = "denoising stopped: " + e.getMessage();
        log.error("series " + series.getFileName() + ": " + NodeLog.escape(reason) + "; set aside in " + SeriesQueue.FAILED);
        try {
            DurableFiles.write(series.resolve(SeriesQueue.REASON), reason + "\n");
            DurableFiles.deleteTree(series.resolve(SeriesQueue.WORK));
            DurableFiles.move(series, queue.stage(SeriesQueue.FAILED).resolve(series.getFileName()));
        } catch (IOException again) {
            log.error("series " + series.getFileName() + " stays queued until the next start: " + NodeLog.escape(again.getMessage()));
        }
    }

    /** Null when every series of the batch was written, else why not (each failure, or why nothing was found). */
    private static String failureReason(BatchReport report) {
        List<String> reasons = new ArrayList<>();
        for (SeriesResult r : report.results())
            if (r.status() != SeriesStatus.WRITTEN) reasons.add(r.message());
        if (report.results().isEmpty()) {
            reasons.add("no image series that can be denoised");
            report.skipped().stream().limit(3).forEach(s -> reasons.add(s.file().getFileName() + ": " + s.reason()));
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /** Hard links (copies where links are not possible) of the received instances, to be forwarded too. */
    private static void linkInstances(Path series, Path target) throws IOException {
        Files.createDirectories(target);
        for (Path f : DurableFiles.files(series.resolve(SeriesQueue.INSTANCES))) {
            Path t = target.resolve(f.getFileName());
            try {
                Files.createLink(t, f);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(f, t);
            }
        }
    }

    private void forwardLoop() {
        while (!stopped) {
            long wait = 1000;
            try {
                for (Path series : DurableFiles.folders(queue.stage(SeriesQueue.DENOISED))) {
                    if (stopped) return;
                    forward(series);
                }
                for (Backoff b : backoff.values()) wait = Math.min(wait, Math.max(10, b.millisUntilNext()));
            } catch (IOException | RuntimeException e) {
                if (!stopped) log.error("forwarding: " + NodeLog.escape(e.getMessage()));
            }
            try {
                synchronized (forwardSignal) {
                    forwardSignal.wait(wait);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Sends a denoised series to each destination that has not stored it yet; all done: denoised/ -> forwarded/. */
    private void forward(Path series) throws IOException {
        List<Path> files = DurableFiles.files(series.resolve(SeriesQueue.OUTBOX));
        Properties times = SeriesQueue.readTimes(series);
        String uid = NodeLog.escape(times.getProperty("series", series.getFileName().toString()));
        boolean all = true;
        for (DicomDestination d : settings.forward()) {
            Path mark = series.resolve(SeriesQueue.SENT_PREFIX + SeriesQueue.key(d.toString().replace(':', '_')));
            if (Files.exists(mark)) continue;
            Backoff b = backoff.get(d);
            if (b.millisUntilNext() > 0) {
                all = false;
                continue;
            }
            long t0 = System.nanoTime();
            try {
                network.send(d, settings.aeTitle(), files);
            } catch (IOException e) {
                all = false;
                if (stopped) return;
                long next = b.failed(settings.retryFirst(), settings.retryMax());
                log.error("series " + uid + " not sent to " + d + ": " + NodeLog.escape(e.getMessage())
                        + String.format(Locale.ROOT, "; retrying in %.1f s", next / 1000.0));
                continue;
            }
            if (stopped) return;
            b.succeeded();
            DurableFiles.write(mark, SeriesQueue.now() + "\n");
            times.setProperty("sent." + d, SeriesQueue.now());
            log.info(String.format(Locale.ROOT, "series %s sent to %s: %d instance(s) in %.1f s", uid, d, files.size(),
                    (System.nanoTime() - t0) / 1e9));
        }
        if (!all || stopped) return;
        times.setProperty("forwarded", SeriesQueue.now());
        List<String> names = new ArrayList<>();
        for (Path f : DurableFiles.files(series.resolve(SeriesQueue.INSTANCES))) names.add(f.getFileName().toString());
        DurableFiles.write(series.resolve(SeriesQueue.INSTANCE_LIST), String.join("\n", names) + "\n");
        SeriesQueue.writeTimes(series, times);
        Path done = queue.stage(SeriesQueue.FORWARDED).resolve(series.getFileName());
        DurableFiles.move(series, done);
        DurableFiles.deleteTree(done.resolve(SeriesQueue.OUTBOX));
        DurableFiles.deleteTree(done.resolve(SeriesQueue.INSTANCES));
        log.info(summary(uid, times, files.size()));
    }

    /** The one line per series: counts and the time of each stage. */
    private String summary(String uid, Properties t, int sent) {
        Instant first = Instant.parse(t.getProperty("firstReceived"));
        Instant end = Instant.parse(t.getProperty("forwarded"));
        return String.format(Locale.ROOT, "series %s forwarded: received %s instance(s) from %s (%s to %s), queued %s, %s, "
                        + "forwarded %d instance(s) to %s at %s; %.1f s from first instance to forwarded",
                uid, t.getProperty("instances", "?"), NodeLog.escape(t.getProperty("callingAe", "?")),
                t.getProperty("firstReceived"), t.getProperty("lastReceived", "?"), t.getProperty("queued", "?"),
                t.containsKey("denoised") ? "denoised " + t.getProperty("denoised") + " in " + t.getProperty("denoiseSeconds") + " s"
                        : "not denoised (" + "forwarded unchanged)",
                sent, settings.forward(), t.getProperty("forwarded"), Duration.between(first, end).toMillis() / 1000.0);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, "node-" + name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Exponential back-off of one destination. */
    private static final class Backoff {
        private long nextAttempt;
        private long delay;

        synchronized long millisUntilNext() {
            return Math.max(0, (nextAttempt - System.nanoTime()) / 1_000_000);
        }

        synchronized long failed(Duration first, Duration max) {
            delay = delay == 0 ? first.toMillis() : Math.min(max.toMillis(), delay * 2);
            nextAttempt = System.nanoTime() + delay * 1_000_000;
            return delay;
        }

        synchronized void succeeded() {
            delay = 0;
            nextAttempt = 0;
        }
    }
}
