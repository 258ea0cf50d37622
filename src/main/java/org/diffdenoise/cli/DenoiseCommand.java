package org.diffdenoise.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.ErrorText;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.pipeline.BatchListener;
import org.diffdenoise.pipeline.BatchOptions;
import org.diffdenoise.pipeline.BatchReport;
import org.diffdenoise.pipeline.BatchReportCsv;
import org.diffdenoise.pipeline.DenoiserRegistry;
import org.diffdenoise.pipeline.SeriesResult;
import org.diffdenoise.pipeline.SeriesStatus;
import org.diffdenoise.pipeline.StudyDenoiser;
import org.diffdenoise.pipeline.StudyFolders;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Denoises every series of a study folder into new derived series. */
@Command(name = "denoise", mixinStandardHelpOptions = true,
        description = "Denoise every series in INPUT_DIR and write one new DERIVED series per input series into OUTPUT_DIR.%n"
                + "Exit code 0: every series written; 1: some failed (the others were written), or none found; 2: bad usage "
                + "(nothing read or written: e.g. OUTPUT_DIR inside INPUT_DIR or not creatable, --report/--preview inside "
                + "the input or existing without --overwrite, --model not a bundle, --series matching nothing);%n"
                + "3: every series written, but some from incomplete input (only with --allow-incomplete).")
public final class DenoiseCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INPUT_DIR", description = "study folder, scanned recursively (never modified)")
    Path input;

    @Parameters(index = "1", paramLabel = "OUTPUT_DIR", description = "where the derived series folders go (created if needed)")
    Path output;

    @Mixin
    DenoiserOptions denoiser = new DenoiserOptions();

    @Option(names = "--series", paramLabel = "UID", split = ",", description = "only these Series Instance UIDs")
    List<String> series;

    @Option(names = "--no-uncertainty", description = "with --samples > 1, do not write the per-pixel standard deviation "
            + "across samples as a second derived series (written by default, series number + 2000)")
    boolean noUncertainty;

    @Option(names = "--allow-incomplete", description = "also denoise a series with images missing or unreadable (a damaged"
            + " member file, a missing position in an evenly spaced stack, a hole in the Instance Numbers); it is marked"
            + " INCOMPLETE in the report and in the derived instances' Image Comments, and the exit code is 3."
            + " Without it such a series fails with the reason")
    boolean allowIncomplete;

    @Option(names = "--overwrite", description = "replace existing derived series of the same name, and an existing --report or --preview file")
    boolean overwrite;

    @Option(names = "--report", paramLabel = "CSV", description = "also write the outcome as a CSV table: one row per series "
            + "(status, UIDs, output folders, noise level, time, message) and one per skipped file")
    Path reportCsv;

    @Option(names = "--preview", paramLabel = "PNG", description = "also write a before/after PNG of the middle slice of the first written series")
    Path preview;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Exit code: every series was written, at least one from incomplete input (with --allow-incomplete). */
    static final int EXIT_INCOMPLETE = 3;

    /** Skipped files listed by name in the summary; the rest are counted. */
    static final int MAX_SKIPPED_LISTED = 20;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = new TerminalWriter(spec.commandLine().getOut());
        PrintWriter err = new TerminalWriter(spec.commandLine().getErr());
        DenoiseSettings settings;
        try {
            settings = denoiser.settings();
        } catch (IllegalArgumentException e) {
            return usageError(err, e.getMessage());
        }
        if (!Files.exists(input)) return usageError(err, "input does not exist: " + input);
        // every check before anything is created: a refused run leaves no trace, in the input or elsewhere
        try {
            StudyFolders.checkOutput(input, output);
            if (reportCsv != null) StudyFolders.checkExtraFile(input, output, reportCsv, "--report", overwrite);
            if (preview != null) StudyFolders.checkExtraFile(input, output, preview, "--preview", overwrite);
            if (reportCsv != null && preview != null && StudyFolders.realPath(reportCsv).equals(StudyFolders.realPath(preview)))
                throw new java.io.IOException("--report and --preview name the same file " + reportCsv);
        } catch (java.io.IOException e) {
            return usageError(err, e.getMessage());
        }
        if (denoiser.model != null && denoiser.method == DenoiserRegistry.Method.diffusion) {
            try {
                DenoiserRegistry.checkBundle(denoiser.model);
            } catch (java.io.IOException e) {
                return usageError(err, "--model " + denoiser.model + " is not a usable model bundle: " + ErrorText.of(e));
            }
        }
        try {
            StudyFolders.createOutput(output);
        } catch (java.io.IOException e) {
            return usageError(err, e.getMessage());
        }
        BatchOptions options = new BatchOptions(settings, overwrite, series == null ? null : new HashSet<>(series), !noUncertainty,
                allowIncomplete);
        StudyDenoiser pipeline = new StudyDenoiser(Dicom.backend(), () -> DenoiserRegistry.create(denoiser.method, denoiser.model));
        BatchReport report;
        long t0 = System.nanoTime();
        try {
            report = pipeline.denoiseStudy(input, output, options, new TerminalProgress(out), CancelToken.none());
        } catch (java.io.IOException e) {
            err.println("error: " + ErrorText.of(e));
            return DiffDenoiseCli.EXIT_USAGE;
        } finally {
            pipeline.close();
        }
        printSummary(out, report, (System.nanoTime() - t0) / 1e9);
        if (reportCsv != null) {
            try {
                BatchReportCsv.write(report, reportCsv, overwrite);
                out.println("report: " + reportCsv);
            } catch (java.io.IOException e) {
                err.println("warning: could not write the report " + reportCsv + ": " + ErrorText.of(e));
            }
        }
        if (preview != null) writePreview(out, err, report);
        out.flush();
        List<String> unmatched = unmatchedSeries(report);
        for (String uid : unmatched) err.println("error: no series with UID " + uid + " in " + input);
        if (report.results().isEmpty()) {
            if (!unmatched.isEmpty()) return DiffDenoiseCli.EXIT_USAGE;
            err.println("error: no DICOM image series found in " + input);
            return DiffDenoiseCli.EXIT_SOME_FAILED;
        }
        if (unmatched.isEmpty() && report.incomplete() > 0
                && report.written() + report.incomplete() + report.alreadyDone() == report.results().size()) {
            return EXIT_INCOMPLETE;
        }
        return report.allWritten() && unmatched.isEmpty() ? DiffDenoiseCli.EXIT_OK : DiffDenoiseCli.EXIT_SOME_FAILED;
    }

    /** The --series UIDs that matched no series of the input, in the order given. */
    private List<String> unmatchedSeries(BatchReport report) {
        if (series == null) return List.of();
        Set<String> found = new HashSet<>();
        for (SeriesResult r : report.results()) found.add(r.series().seriesInstanceUid());
        return series.stream().filter(uid -> !found.contains(uid)).distinct().toList();
    }

    /** Prints a usage error (the writer escapes control characters) and gives its exit code, 2. */
    private static int usageError(PrintWriter err, String message) {
        err.println("error: " + ErrorText.clean(message));
        err.flush();
        return DiffDenoiseCli.EXIT_USAGE;
    }

    private void writePreview(PrintWriter out, PrintWriter err, BatchReport report) {
        for (SeriesResult r : report.results()) {
            if (r.status() != SeriesStatus.WRITTEN && r.status() != SeriesStatus.INCOMPLETE) continue;
            try {
                BeforeAfterPreview.write(r.series(), r.output(), preview, overwrite);
                out.println("before/after preview: " + preview);
            } catch (Exception e) {
                err.println("warning: could not write the preview " + preview + ": " + ErrorText.of(e));
            }
            return;
        }
    }

    static void printSummary(PrintWriter out, BatchReport report, double seconds) {
        out.printf(Locale.ROOT, "%nSummary: %d series written, %s%d failed, %d not run, %d already done, %d file(s) skipped, %.1f s%n",
                report.written(), report.incomplete() == 0 ? "" : report.incomplete() + " written INCOMPLETE, ",
                report.failed(), report.cancelled(), report.alreadyDone(), report.skipped().size(), seconds);
        for (SeriesResult r : report.results()) {
            out.printf(Locale.ROOT, "  %-9s %s %s: %s%n", r.status(), r.series().modality(), r.series().seriesInstanceUid(), r.message());
        }
        int shown = 0;
        for (var s : report.skipped()) {
            if (shown++ == MAX_SKIPPED_LISTED) {
                out.printf(Locale.ROOT, "  ... and %d more skipped file(s): diffdenoise info INPUT_DIR lists them all%n",
                        report.skipped().size() - MAX_SKIPPED_LISTED);
                break;
            }
            out.printf(Locale.ROOT, "  SKIPPED   %s: %s%n", s.file(), ErrorText.clean(s.reason()));
        }
    }

    /** Per-series and per-slice progress lines on the terminal. */
    private static final class TerminalProgress implements BatchListener {
        private final PrintWriter out;
        private long lastPrint;

        TerminalProgress(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void seriesStarted(int index, int count, SeriesRef s) {
            out.printf(Locale.ROOT, "[%d/%d] %s %s %dx%d x %d  %s%n", index + 1, count, s.modality(),
                    s.seriesDescription() == null ? "" : s.seriesDescription(), s.columns(), s.rows(), s.slices(), s.seriesInstanceUid());
            out.flush();
        }

        @Override
        public void progress(int index, int count, String stage, long done, long total) {
            long now = System.nanoTime();
            if (done == total || now - lastPrint > 1_000_000_000L) {
                lastPrint = now;
                out.printf(Locale.ROOT, "      %s (%d/%d)%n", stage, done, total);
                out.flush();
            }
        }

        @Override
        public void note(String message) {
            out.println(message);
            out.flush();
        }

        @Override
        public void seriesFinished(int index, int count, SeriesResult r) {
            String sigma = Double.isNaN(r.medianNoiseSigma()) ? "" : String.format(Locale.ROOT, ", noise sigma %.4g", r.medianNoiseSigma());
            out.printf(Locale.ROOT, "      %s in %.1f s%s%s: %s%n", r.status(), r.millis() / 1000.0, sigma,
                    r.device().isEmpty() ? "" : ", device " + r.device(), r.message());
            out.flush();
        }
    }
}
