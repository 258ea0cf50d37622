package org.diffdenoise.pipeline;

import java.nio.file.Path;

import org.diffdenoise.dicom.SeriesRef;

/**
 * The per-series line of a batch report.
 *
 * @param series     the input series
 * @param status     how it ended
 * @param output     the derived series folder, or null when nothing was written
 * @param message    a human-readable reason for failures (names the file and the cause), or a short summary
 * @param noiseSigma the noise standard deviation estimated (or given) per slice, modality units; empty if not run
 * @param device     where the network ran, "" if it did not run
 * @param millis     wall-clock time spent on this series
 * @param uncertaintyOutput the uncertainty series folder written beside {@code output}, or null
 * @param outputFault true when it FAILED writing into the output's file system (full, read-only, an I/O error), not
 *                    because of the series: the same series can be written once that is mended
 */
public record SeriesResult(SeriesRef series, SeriesStatus status, Path output, String message, double[] noiseSigma,
                           String device, long millis, Path uncertaintyOutput, boolean outputFault) {

    /** A result that is not an output fault. */
    public SeriesResult(SeriesRef series, SeriesStatus status, Path output, String message, double[] noiseSigma,
                        String device, long millis, Path uncertaintyOutput) {
        this(series, status, output, message, noiseSigma, device, millis, uncertaintyOutput, false);
    }

    /** A result without an uncertainty series that is not an output fault. */
    public SeriesResult(SeriesRef series, SeriesStatus status, Path output, String message, double[] noiseSigma,
                        String device, long millis) {
        this(series, status, output, message, noiseSigma, device, millis, null, false);
    }

    /** The median of the per-slice noise levels, or NaN when none. */
    public double medianNoiseSigma() {
        if (noiseSigma == null || noiseSigma.length == 0) return Double.NaN;
        double[] s = noiseSigma.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
