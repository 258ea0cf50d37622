package org.diffdenoise.node;

import org.diffdenoise.api.FileTrees;

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
import java.util.function.BooleanSupplier;

/**
 * The node's forwarding job: sends each denoised series to every destination (C-STORE SCU), retrying a failed
 * destination with exponential back-off, and moves a series to forwarded/ once all have stored it.
 */
final class SeriesForwarder implements Runnable {
    private final NodeSettings settings;
    private final DicomNetwork network;
    private final SeriesQueue queue;
    private final NodeLog log;
    private final BooleanSupplier stopped;
    private final Object signal = new Object();
    private final Map<DicomDestination, Backoff> backoff = new HashMap<>();
    private final Backoff workFolder = new Backoff();

    /** @param stopped true once the node stops: no further send or stage change */
    SeriesForwarder(NodeSettings settings, DicomNetwork network, SeriesQueue queue, NodeLog log, BooleanSupplier stopped) {
        this.settings = settings;
        this.network = network;
        this.queue = queue;
        this.log = log;
        this.stopped = stopped;
        for (DicomDestination d : settings.forward()) backoff.put(d, new Backoff());
    }

    /** A series reached denoised/: look now rather than at the next poll. */
    void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Forwards denoised series until the node stops, waking on {@link #wake()} or when a back-off ends. */
    @Override
    public void run() {
        while (!stopped.getAsBoolean()) {
            long wait = 1000;
            try {
                for (Path series : DurableFiles.folders(queue.stage(SeriesQueue.DENOISED))) {
                    if (stopped.getAsBoolean()) return;
                    forward(series);
                }
                for (Backoff b : backoff.values()) wait = Math.min(wait, Math.max(10, b.millisUntilNext()));
                workFolder.succeeded();
            } catch (IOException | RuntimeException e) {
                // the work folder (a full disk cannot take a sent@ marker, say): not every second, or a series that
                // was sent but not marked would be sent again each time
                if (stopped.getAsBoolean()) return;
                wait = workFolder.failed(settings.retryFirst(), settings.retryMax());
                log.error("forwarding: " + NodeLog.escape(e.getMessage()) + String.format(Locale.ROOT, "; trying again in %.1f s", wait / 1000.0));
            }
            try {
                synchronized (signal) {
                    signal.wait(wait);
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
                if (stopped.getAsBoolean()) return;
                long next = b.failed(settings.retryFirst(), settings.retryMax());
                log.error("series " + uid + " not sent to " + d + ": " + NodeLog.escape(e.getMessage())
                        + String.format(Locale.ROOT, "; retrying in %.1f s", next / 1000.0));
                continue;
            }
            if (stopped.getAsBoolean()) return;
            b.succeeded();
            DurableFiles.write(mark, SeriesQueue.now() + "\n");
            times.setProperty("sent." + d, SeriesQueue.now());
            log.info(String.format(Locale.ROOT, "series %s sent to %s: %d instance(s) in %.1f s", uid, d, files.size(),
                    (System.nanoTime() - t0) / 1e9));
        }
        if (!all || stopped.getAsBoolean()) return;
        times.setProperty("forwarded", SeriesQueue.now());
        List<String> names = new ArrayList<>();
        for (Path f : DurableFiles.files(series.resolve(SeriesQueue.INSTANCES))) names.add(f.getFileName().toString());
        DurableFiles.write(series.resolve(SeriesQueue.INSTANCE_LIST), String.join("\n", names) + "\n");
        SeriesQueue.writeTimes(series, times);
        Path done = queue.stage(SeriesQueue.FORWARDED).resolve(series.getFileName());
        DurableFiles.move(series, done);
        FileTrees.delete(done.resolve(SeriesQueue.OUTBOX));
        FileTrees.delete(done.resolve(SeriesQueue.INSTANCES));
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
}
