package org.diffdenoise.node;

import org.diffdenoise.api.FileTrees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.pipeline.BatchListener;
import org.diffdenoise.pipeline.BatchReport;
import org.diffdenoise.pipeline.SeriesResult;
import org.diffdenoise.pipeline.SeriesStatus;
import org.diffdenoise.pipeline.StudyDenoiser;

/**
 * The node's denoising job: takes queued series, denoises each into its outbox and moves it on to denoised/ (or
 * failed/), never waiting for a destination. A series whose derived series cannot be written because of the work
 * folder's disk (full, read-only, an I/O error) stays in queued/ and is tried again after a back-off, behind the others.
 */
final class DenoiseWorker implements Runnable {
    private final NodeSettings settings;
    private final SeriesQueue queue;
    private final BlockingQueue<Path> toDenoise;
    private final Supplier<StudyDenoiser> denoisers;
    private final NodeLog log;
    private final CancelToken cancel;
    private final BooleanSupplier stopped;
    private final Runnable denoised;
    private final Backoff disk = new Backoff();

    /**
     * @param denoisers makes one {@link StudyDenoiser} per thread running this worker
     * @param stopped   true once the node stops: no further stage change
     * @param denoised  called after a series reached denoised/ (wakes the forwarder)
     */
    DenoiseWorker(NodeSettings settings, SeriesQueue queue, BlockingQueue<Path> toDenoise,
                  Supplier<StudyDenoiser> denoisers, NodeLog log, CancelToken cancel, BooleanSupplier stopped,
                  Runnable denoised) {
        this.settings = settings;
        this.queue = queue;
        this.toDenoise = toDenoise;
        this.denoisers = denoisers;
        this.log = log;
        this.cancel = cancel;
        this.stopped = stopped;
        this.denoised = denoised;
    }

    /** Takes queued series one at a time until the node stops; several threads may run the same worker. */
    @Override
    public void run() {
        StudyDenoiser denoiser = null;
        try {
            while (!stopped.getAsBoolean()) {
                Path series = toDenoise.take();
                if (denoiser == null) denoiser = denoisers.get();
                try {
                    denoise(series, denoiser);
                } catch (IOException e) {
                    if (!stopped.getAsBoolean()) retryLater(series, e);
                } catch (RuntimeException e) {
                    if (!stopped.getAsBoolean()) setAside(series, e);
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
            FileTrees.delete(work);
            Path out = DurableFiles.createFolder(work.resolve("out"));
            long t0 = System.nanoTime();
            String reason = incompleteReason(times);
            if (reason == null) {
                BatchReport report = denoiser.denoiseStudy(series.resolve(SeriesQueue.INSTANCES), out, settings.batch(),
                        new BatchListener() { }, cancel);
                if (stopped.getAsBoolean()) return;
                reason = failureReason(report);
                if (report.results().stream().anyMatch(SeriesResult::outputFault))
                    throw new IOException("the derived series cannot be written: " + reason);
                disk.succeeded();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
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
                    FileTrees.delete(work);
                    DurableFiles.move(series, queue.stage(SeriesQueue.FAILED).resolve(series.getFileName()));
                    return;
                }
                FileTrees.delete(out);
                linkInstances(series, DurableFiles.createFolder(out).resolve("original"));
                times.setProperty("unprocessed", SeriesQueue.now());
            }
            times.setProperty("outboxInstances", Integer.toString(DurableFiles.files(out).size()));
            SeriesQueue.writeTimes(series, times);
            DurableFiles.syncTree(out);
            DurableFiles.move(out, outbox);
            FileTrees.delete(work);
            if (reason == null)
                log.info(String.format(Locale.ROOT, "series %s denoised in %.1f s: %s instance(s) to forward", uid, seconds,
                        times.getProperty("outboxInstances")));
        }
        if (stopped.getAsBoolean()) return;
        DurableFiles.move(series, queue.stage(SeriesQueue.DENOISED).resolve(series.getFileName()));
        denoised.run();
    }

    /**
     * The work folder's disk failed (full, read-only, an I/O error), not the series: its partial output is dropped, it
     * stays in queued/, and after a back-off (the destinations', doubled on each failure in a row) it goes to the end of
     * the queue, so that a series whose own output keeps failing does not hold up the others.
     */
    private void retryLater(Path series, IOException e) throws InterruptedException {
        long wait = disk.failed(settings.retryFirst(), settings.retryMax());
        log.error("series " + series.getFileName() + ": " + NodeLog.escape(e.getMessage())
                + String.format(Locale.ROOT, "; kept in %s, trying again in %.1f s", SeriesQueue.QUEUED, wait / 1000.0));
        FileTrees.deleteQuietly(series.resolve(SeriesQueue.WORK));
        Thread.sleep(wait);
        toDenoise.put(series);
    }

    /** A series whose denoising broke down (a defect, not the disk) goes to failed/ with the reason, kept. */
    private void setAside(Path series, Exception e) {
        String reason = "denoising stopped: " + e.getMessage();
        log.error("series " + series.getFileName() + ": " + NodeLog.escape(reason) + "; set aside in " + SeriesQueue.FAILED);
        try {
            DurableFiles.write(series.resolve(SeriesQueue.REASON), reason + "\n");
            FileTrees.delete(series.resolve(SeriesQueue.WORK));
            DurableFiles.move(series, queue.stage(SeriesQueue.FAILED).resolve(series.getFileName()));
        } catch (IOException again) {
            log.error("series " + series.getFileName() + " stays queued until the next start: " + NodeLog.escape(again.getMessage()));
        }
    }

    /** Why a batch that misses instances refused for lack of space is not denoised (a partial series never passes as whole); or null. */
    private static String incompleteReason(Properties times) {
        String missing = times.getProperty(SeriesQueue.NOT_RESENT);
        return missing == null ? null : "incomplete series: " + missing + " instance(s) refused for lack of space were not sent again"
                + " within " + SeriesQueue.AWAIT_IDLE_PERIODS + " idle periods; not denoised";
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
}
