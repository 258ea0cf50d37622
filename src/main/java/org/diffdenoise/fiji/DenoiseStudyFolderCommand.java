package org.diffdenoise.fiji;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Set;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.pipeline.BatchOptions;
import org.diffdenoise.pipeline.BatchReport;
import org.diffdenoise.pipeline.SeriesResult;
import org.diffdenoise.pipeline.StudyDenoiser;
import org.diffdenoise.pipeline.StudyFolders;

/**
 * Plugins > Denoising > Diffusion Denoiser > Denoise Study Folder (Batch)...: every series of a study folder into one
 * new derived series each. Never opens a window in a macro; one failing series does not stop the others.
 * Macro: {@code run("Denoise Study Folder (Batch)...", "input=[/in] output=[/out] steps=4 samples=1 ...")}.
 */
public final class DenoiseStudyFolderCommand implements PlugIn {
    static final String TITLE = "Denoise Study Folder (Batch)";

    @Override
    public void run(String arg) {
        RunMode.guarded(TITLE, this::runFromDialog);
    }

    /** The dialog (or the macro's options), then the work. */
    private void runFromDialog() {
        MacroResults.clear();
        GenericDialog gd = new GenericDialog("DiffDenoise - " + TITLE);
        RunMode.addFolderField(gd, "Input (study folder, never modified)", DenoiseParameters.remembered("batch_input", ""));
        RunMode.addFolderField(gd, "Output (new derived series go here)", DenoiseParameters.remembered("batch_output", ""));
        DenoiseParameters.addFields(gd);
        gd.addCheckbox("Overwrite existing derived series", DenoiseParameters.remembered("overwrite", false));
        gd.addMessage("Each series becomes a new derived series in the output folder; the input is never changed.\n"
                + "Series already denoised there with the same settings and model are kept (reported as already done).");
        gd.addHelp(DenoiseParameters.help(TITLE, "Every DICOM series found in the input folder (searched recursively) is "
                + "denoised into a new DERIVED series (new UIDs, references to its source, provenance) in its own folder "
                + "under the output folder. A series that cannot be read is reported and the others go on. A rerun into the "
                + "same output keeps series already denoised with the same settings and model and refuses ones made "
                + "otherwise unless <b>Overwrite</b> is ticked. Progress is in the status bar (Esc cancels after the "
                + "current slice; nothing partial is left), the summary in the Log."));
        if (!RunMode.showDialog(gd, TITLE)) return;
        String input = gd.getNextString().trim();
        String output = gd.getNextString().trim();
        DenoiseParameters params;
        Path in, out;
        try {
            params = DenoiseParameters.read(gd);
            in = checkInput(input);
            out = checkOutput(in, output);
        } catch (IllegalArgumentException e) {
            RunMode.error(TITLE, e.getMessage());
            return;
        }
        boolean overwrite = gd.getNextBoolean();
        if (!RunMode.fromMacro()) {
            params.remember();
            DenoiseParameters.remember("batch_input", input);
            DenoiseParameters.remember("batch_output", output);
            DenoiseParameters.remember("overwrite", overwrite);
        }
        BatchReport report = run(in, out, new BatchOptions(params.settings(), overwrite, Set.of()), params);
        if (report != null && !RunMode.unattended()) showReport(report);
    }

    /** Runs the batch with one denoiser for all series (native memory does not grow per series), then closes it. */
    static BatchReport run(Path in, Path out, BatchOptions options, DenoiseParameters params) {
        CancelToken cancel = new CancelToken();
        IjProgress progress = new IjProgress(cancel);
        StudyDenoiser pipeline = new StudyDenoiser(Dicom.backend(), DenoiserSource.supplier(params.method(), params.model()));
        long t0 = System.nanoTime();
        BatchReport report;
        try {
            IJ.log("DiffDenoise: " + in + " -> " + out + " (" + params.method() + ", steps " + params.settings().steps()
                    + ", samples " + params.settings().samples() + ")");
            report = pipeline.denoiseStudy(in, out, options, progress, cancel);
        } catch (IOException | RuntimeException e) {
            progress.finished("");
            RunMode.error(TITLE, org.diffdenoise.api.ErrorText.of(e));
            return null;
        } finally {
            pipeline.close();
        }
        MacroResults.record(report);
        String summary = String.format(Locale.ROOT, "DiffDenoise: %d series written, %d failed, %d cancelled/not run, %d already done, %d file(s) skipped, %.1f s",
                report.written(), report.failed(), report.cancelled(), report.alreadyDone(), report.skipped().size(), (System.nanoTime() - t0) / 1e9);
        IJ.log(summary);
        if (report.results().isEmpty()) RunMode.error(TITLE, "no DICOM image series found in " + in);
        progress.finished(summary);
        return report;
    }

    /** The input must be an existing folder. */
    static Path checkInput(String input) {
        if (input.isEmpty()) throw new IllegalArgumentException("Choose the input study folder");
        Path in = Paths.get(input);
        if (!Files.isDirectory(in)) throw new IllegalArgumentException("Input folder does not exist: " + input);
        return in;
    }

    /** The output may be new, but must not be a file, inside the input, or contain the input. */
    static Path checkOutput(Path in, String output) {
        if (output.isEmpty()) throw new IllegalArgumentException("Choose an output folder");
        Path out = Paths.get(output);
        if (Files.exists(out) && !Files.isDirectory(out)) throw new IllegalArgumentException("Output is a file, not a folder: " + output);
        try {
            StudyFolders.checkOutput(in, out);  // by real paths: a link into the input is refused too
        } catch (java.io.IOException e) {
            String m = e.getMessage();
            throw new IllegalArgumentException(Character.toUpperCase(m.charAt(0)) + m.substring(1));
        }
        Path outAbs = out.toAbsolutePath().normalize();
        if (outAbs.getParent() != null && !Files.isDirectory(outAbs.getParent()))
            throw new IllegalArgumentException("The folder that should hold the output does not exist: " + outAbs.getParent());
        return out;
    }

    private static void showReport(BatchReport report) {
        ResultsTable rt = new ResultsTable();
        for (SeriesResult r : report.results()) {
            rt.incrementCounter();
            rt.addValue("Status", r.status().name());
            rt.addValue("Modality", r.series().modality());
            rt.addValue("Description", r.series().seriesDescription() == null ? "" : r.series().seriesDescription());
            rt.addValue("Slices", r.series().slices());
            rt.addValue("Noise sigma", r.medianNoiseSigma());
            rt.addValue("Seconds", r.millis() / 1000.0);
            rt.addValue("Output", r.output() == null ? "" : r.output().toString());
            rt.addValue("Message", r.message());
        }
        rt.show("DiffDenoise batch report");
    }
}
