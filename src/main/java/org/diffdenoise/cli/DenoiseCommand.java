package org.diffdenoise.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.pipeline.BatchListener;
import org.diffdenoise.pipeline.BatchOptions;
import org.diffdenoise.pipeline.BatchReport;
import org.diffdenoise.pipeline.BatchReportCsv;
import org.diffdenoise.pipeline.Denoisers;
import org.diffdenoise.pipeline.SeriesResult;
import org.diffdenoise.pipeline.SeriesStatus;
import org.diffdenoise.pipeline.StudyDenoiser;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Denoises every series of a study folder into new derived series. */
@Command(name = "denoise", mixinStandardHelpOptions = true,
        description = "Denoise every series in INPUT_DIR and write one new DERIVED series per input series into OUTPUT_DIR.%n"
                + "Exit code 0: every series written; 1: some failed (the others were written); 2: bad usage.")
public final class DenoiseCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INPUT_DIR", description = "study folder, scanned recursively (never modified)")
    Path input;

    @Parameters(index = "1", paramLabel = "OUTPUT_DIR", description = "where the derived series folders go (created if needed)")
    Path output;

    @Option(names = "--steps", description = "DDIM steps from the matched noise level to 0 (1-50, default ${DEFAULT-VALUE})")
    int steps = DenoiseSettings.DEFAULT_STEPS;

    @Option(names = "--samples", description = "stochastic samples; more than 1 gives their mean, and their per-pixel standard deviation as a second derived series (1-32, default ${DEFAULT-VALUE})")
    int samples = DenoiseSettings.DEFAULT_SAMPLES;

    @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
    long seed = DenoiseSettings.DEFAULT_SEED;

    @Option(names = "--sigma", paramLabel = "SIGMA", description = "noise standard deviation in modality units; estimated per slice when omitted")
    Double sigma;

    @Option(names = "--tile", description = "tile size in pixels for large images (default ${DEFAULT-VALUE})")
    int tile = DenoiseSettings.DEFAULT_TILE;

    @Option(names = "--overlap", description = "tile overlap in pixels (default ${DEFAULT-VALUE})")
    int overlap = DenoiseSettings.DEFAULT_OVERLAP;

    @Option(names = "--batch", description = "tiles per network evaluation (default ${DEFAULT-VALUE})")
    int batch = DenoiseSettings.DEFAULT_BATCH;

    @Option(names = "--model", paramLabel = "BUNDLE_DIR", description = "a model bundle folder (SavedModel + diffdenoise-model.json) instead of the shipped model")
    Path model;

    @Option(names = "--method", description = "denoiser: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}); the others are classical baselines for comparison")
    Denoisers.Method method = Denoisers.Method.diffusion;

    @Option(names = "--series", paramLabel = "UID", split = ",", description = "only these Series Instance UIDs")
    List<String> series;

    @Option(names = "--no-uncertainty", description = "with --samples > 1, do not write the per-pixel standard deviation "
            + "across samples as a second derived series (written by default, series number + 2000)")
    boolean noUncertainty;

    @Option(names = "--overwrite", description = "replace existing derived series of the same name")
    boolean overwrite;

    @Option(names = "--report", paramLabel = "CSV", description = "also write the outcome as a CSV table: one row per series "
            + "(status, UIDs, output folders, noise level, time, message) and one per skipped file")
    Path reportCsv;

    @Option(names = "--preview", paramLabel = "PNG", description = "also write a before/after PNG of the middle slice of the first written series")
    Path preview;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Skipped files listed by name in the summary; the rest are counted. */
    static final int MAX_SKIPPED_LISTED = 20;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DenoiseSettings settings;
        try {
            settings = new DenoiseSettings(steps, samples, seed, sigma == null ? Double.NaN : sigma, tile, overlap, batch);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!Files.exists(input)) throw new CommandLine.ParameterException(spec.commandLine(), "input does not exist: " + input);
        if (model != null && !Files.isDirectory(model))
            throw new CommandLine.ParameterException(spec.commandLine(), "model bundle folder does not exist: " + model);
        Files.createDirectories(output);
        BatchOptions options = new BatchOptions(settings, overwrite, series == null ? null : new HashSet<>(series), !noUncertainty);
        StudyDenoiser pipeline = new StudyDenoiser(Dicom.backend(), () -> Denoisers.create(method, model));
        BatchReport report;
        long t0 = System.nanoTime();
        try {
            report = pipeline.denoiseStudy(input, output, options, new TerminalProgress(out), CancelToken.none());
        } catch (java.io.IOException e) {
            err.println("error: " + e.getMessage());
            return DiffDenoiseCli.EXIT_USAGE;
        } finally {
            pipeline.close();
        }
        printSummary(out, report, (System.nanoTime() - t0) / 1e9);
        if (reportCsv != null) {
            try {
                BatchReportCsv.write(report, reportCsv);
                out.println("report: " + reportCsv);
            } catch (java.io.IOException e) {
                err.println("warning: could not write the report " + reportCsv + ": " + e.getMessage());
            }
        }
        if (preview != null) writePreview(out, err, report);
        out.flush();
        if (report.results().isEmpty()) {
            err.println("error: no DICOM image series found in " + input);
            return DiffDenoiseCli.EXIT_SOME_FAILED;
        }
        return report.allWritten() ? DiffDenoiseCli.EXIT_OK : DiffDenoiseCli.EXIT_SOME_FAILED;
    }

    private void writePreview(PrintWriter out, PrintWriter err, BatchReport report) {
        for (SeriesResult r : report.results()) {
            if (r.status() != SeriesStatus.WRITTEN) continue;
            try {
                BeforeAfterPreview.write(r.series(), r.output(), preview);
                out.println("before/after preview: " + preview);
            } catch (Exception e) {
                err.println("warning: could not write the preview " + preview + ": " + e.getMessage());
            }
            return;
        }
    }

    static void printSummary(PrintWriter out, BatchReport report, double seconds) {
        out.printf(Locale.ROOT, "%nSummary: %d series written, %d failed, %d not run, %d already done, %d file(s) skipped, %.1f s%n",
                report.written(), report.failed(), report.cancelled(), report.alreadyDone(), report.skipped().size(), seconds);
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
            out.printf(Locale.ROOT, "  SKIPPED   %s: %s%n", s.file(), s.reason());
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
        public void seriesFinished(int index, int count, SeriesResult r) {
            String sigma = Double.isNaN(r.medianNoiseSigma()) ? "" : String.format(Locale.ROOT, ", noise sigma %.4g", r.medianNoiseSigma());
            out.printf(Locale.ROOT, "      %s in %.1f s%s%s: %s%n", r.status(), r.millis() / 1000.0, sigma,
                    r.device().isEmpty() ? "" : ", device " + r.device(), r.message());
            out.flush();
        }
    }
}
