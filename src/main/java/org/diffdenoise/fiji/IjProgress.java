package org.diffdenoise.fiji;

import java.util.Locale;

import ij.IJ;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.PrintableText;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.pipeline.BatchListener;
import org.diffdenoise.pipeline.SeriesResult;

/**
 * Shows a run's progress in ImageJ's status bar and progress bar (series, slice, step, time left), logs one line per
 * series, and turns Esc into a cancel request: the pipeline stops at the next slice and writes nothing for that series.
 */
final class IjProgress implements BatchListener {
    private static final long STATUS_INTERVAL_NANOS = 250_000_000L;

    private final CancelToken cancel;
    private final long start = System.nanoTime();
    private long lastStatus;
    private boolean cancelAnnounced;

    IjProgress(CancelToken cancel) {
        this.cancel = cancel;
        IJ.resetEscape();
    }

    /** The same progress for a single in-memory stack (Denoise Current Image). */
    ProgressListener forSingleImage(String name) {
        return (stage, done, total) -> progress(0, 1, name + ": " + stage, done, total);
    }

    @Override
    public void seriesStarted(int index, int count, SeriesRef s) {
        checkEscape();
        IJ.log(String.format(Locale.ROOT, "DiffDenoise [%d/%d] %s", index + 1, count, PrintableText.escape(s.label())));
        IJ.showStatus(String.format(Locale.ROOT, "DiffDenoise: series %d/%d, reading %d slice(s)", index + 1, count, s.slices()));
        IJ.showProgress(fraction(index, count, 0, 1));
    }

    @Override
    public void progress(int index, int count, String stage, long done, long total) {
        checkEscape();
        long now = System.nanoTime();
        if (done < total && now - lastStatus < STATUS_INTERVAL_NANOS) return;
        lastStatus = now;
        double f = fraction(index, count, done, total);
        IJ.showProgress(f);
        if (cancel.isCancelled()) return;
        IJ.showStatus(String.format(Locale.ROOT, "DiffDenoise: series %d/%d, %s%s  (Esc cancels)", index + 1, count, stage,
                timeLeft(f, now - start)));
    }

    @Override
    public void seriesFinished(int index, int count, SeriesResult r) {
        IJ.log(String.format(Locale.ROOT, "    %s in %.1f s: %s", r.status(), r.millis() / 1000.0, PrintableText.escape(r.message())));
        IJ.showProgress(fraction(index + 1, count, 0, 1));
    }

    /** Longer status texts are cut by the status bar of a usual ImageJ window: they also go to the Log. */
    static final int STATUS_FITS = 70;

    /** Clears the progress bar and shows {@code status}; when the bar would cut it, the Log gets it in full. */
    void finished(String status) {
        IJ.showProgress(1.0);
        IJ.showStatus(status);
        if (status.length() > STATUS_FITS && RunMode.canShowWindows()) {
            String log = IJ.getLog();
            if (log == null || !log.stripTrailing().endsWith(status)) IJ.log(status);
        }
    }

    private void checkEscape() {
        if (IJ.escapePressed() && !cancel.isCancelled()) cancel.cancel();
        if (cancel.isCancelled() && !cancelAnnounced) {
            cancelAnnounced = true;
            IJ.showStatus("DiffDenoise: cancelling after the current slice...");
        }
    }

    static double fraction(int index, int count, long done, long total) {
        double inSeries = total > 0 ? Math.min(1.0, (double) done / total) : 0;
        return count > 0 ? Math.min(1.0, (index + inSeries) / count) : 0;
    }

    /** ", about 1 min 20 s left" from the fraction done and the time spent; "" until an estimate makes sense. */
    static String timeLeft(double fraction, long elapsedNanos) {
        if (fraction < 0.02 || fraction >= 1) return "";
        double left = elapsedNanos / 1e9 * (1 - fraction) / fraction;
        long s = Math.round(left);
        return s >= 60 ? String.format(Locale.ROOT, ", about %d min %02d s left", s / 60, s % 60)
                : String.format(Locale.ROOT, ", about %d s left", s);
    }
}
