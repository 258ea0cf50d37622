package org.diffdenoise.fiji;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.diffdenoise.pipeline.BatchReport;
import org.diffdenoise.pipeline.SeriesResult;
import org.diffdenoise.pipeline.SeriesStatus;

/**
 * What the last DiffDenoise command did, for macros: {@code call("org.diffdenoise.fiji.MacroResults.written")}.
 * Every getter returns a String because the macro {@code call()} function does; counts parse with parseInt().
 */
public final class MacroResults {

    private static volatile Summary last = Summary.EMPTY;

    private MacroResults() {
    }

    /** The outcome of one command run. */
    private record Summary(int series, int written, int alreadyDone, int failed, int notRun, int skippedFiles, String error,
                           List<String> outputs, List<String> uncertaintyOutputs, List<String> lines) {
        static final Summary EMPTY = new Summary(0, 0, 0, 0, 0, 0, "", List.of(), List.of(), List.of());
    }

    /** Number of series the last command attempted or found (selected series only). */
    public static String series() {
        return Integer.toString(last.series());
    }

    /** Number of derived series written (or, for commands that do not write, series denoised) by the last command. */
    public static String written() {
        return Integer.toString(last.written());
    }

    /** Number of series whose derived series an earlier run with the same settings and model had written (kept). */
    public static String alreadyDone() {
        return Integer.toString(last.alreadyDone());
    }

    /** Number of series that failed in the last command. */
    public static String failed() {
        return Integer.toString(last.failed());
    }

    /** Number of series cancelled or not run in the last command. */
    public static String notRun() {
        return Integer.toString(last.notRun());
    }

    /** Number of files the scan left out (not DICOM images). */
    public static String skippedFiles() {
        return Integer.toString(last.skippedFiles());
    }

    /** The last command's fatal error (bad parameters, missing folder ...), or "" when it ran. */
    public static String error() {
        return last.error();
    }

    /** The derived series folders written, one per line. */
    public static String outputs() {
        return String.join("\n", last.outputs());
    }

    /** The uncertainty series folders written (several samples), one per line, in the order of {@link #outputs()}. */
    public static String uncertaintyOutputs() {
        return String.join("\n", last.uncertaintyOutputs());
    }

    /** One line per series: STATUS, tab, Series Instance UID, tab, message. */
    public static String report() {
        return String.join("\n", last.lines());
    }

    private static volatile String modelInfo = "";

    /** The text the last Model Info... run showed. */
    public static String modelInfo() {
        return modelInfo;
    }

    static void recordInfo(String text) {
        modelInfo = text;
    }

    static void clear() {
        last = Summary.EMPTY;
    }

    static void recordError(String message) {
        Summary s = last;
        last = new Summary(s.series(), s.written(), s.alreadyDone(), s.failed(), s.notRun(), s.skippedFiles(), message, s.outputs(), s.uncertaintyOutputs(), s.lines());
    }

    static void record(BatchReport report) {
        record(report.results(), report.skipped().size());
    }

    static void record(List<SeriesResult> results, int skippedFiles) {
        List<String> outputs = new ArrayList<>();
        List<String> uncertainty = new ArrayList<>();
        for (SeriesResult r : results) {
            if (r.output() != null) outputs.add(r.output().toString());
            if (r.uncertaintyOutput() != null) uncertainty.add(r.uncertaintyOutput().toString());
        }
        List<String> lines = results.stream().map(MacroResults::line).collect(Collectors.toList());
        last = new Summary(results.size(), count(results, SeriesStatus.WRITTEN), count(results, SeriesStatus.ALREADY_DONE),
                count(results, SeriesStatus.FAILED),
                count(results, SeriesStatus.CANCELLED) + count(results, SeriesStatus.NOT_RUN), skippedFiles, "",
                List.copyOf(outputs), List.copyOf(uncertainty), List.copyOf(lines));
    }

    /** Records an in-memory run (Denoise Current Image) that wrote nothing or one folder. */
    static void recordSingle(boolean ok, boolean cancelled, Path output, String message) {
        last = new Summary(1, ok ? 1 : 0, 0, ok || cancelled ? 0 : 1, cancelled ? 1 : 0, 0, "",
                output == null ? List.of() : List.of(output.toString()), List.of(),
                List.of((ok ? "WRITTEN" : cancelled ? "CANCELLED" : "FAILED") + "\t-\t" + message));
    }

    private static String line(SeriesResult r) {
        return r.status() + "\t" + r.series().seriesInstanceUid() + "\t" + r.message();
    }

    private static int count(List<SeriesResult> results, SeriesStatus s) {
        return (int) results.stream().filter(r -> r.status() == s).count();
    }
}
