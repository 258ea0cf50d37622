package org.diffdenoise.fiji;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import ij.IJ;
import ij.Macro;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.dicom.SkippedFile;
import org.diffdenoise.dicom.StudyScan;
import org.diffdenoise.pipeline.BatchOptions;
import org.diffdenoise.pipeline.SeriesOutcome;
import org.diffdenoise.pipeline.SeriesResult;
import org.diffdenoise.pipeline.SeriesStatus;
import org.diffdenoise.pipeline.StudyDenoiser;

/**
 * Plugins > Denoising > Diffusion Denoiser > Denoise DICOM Series...: one series from a folder or file, optionally
 * saved as a derived series, shown in the before/after viewer. When the folder holds several series the user picks
 * one; a macro names it with {@code series=[n]} (1-based, in scan order) or {@code series=[Series Instance UID]}.
 */
public final class DenoiseDicomSeriesCommand implements PlugIn {
    static final String TITLE = "Denoise DICOM Series";

    @Override
    public void run(String arg) {
        RunMode.guarded(TITLE, this::runFromDialog);
    }

    /** The dialog (or the macro's options), then the work. */
    private void runFromDialog() {
        MacroResults.clear();
        GenericDialog gd = new GenericDialog("DiffDenoise - " + TITLE);
        RunMode.addFolderField(gd, "Input (DICOM folder or file)", DenoiseParameters.remembered("series_input", ""));
        RunMode.addFolderField(gd, "Output (empty: do not save)", DenoiseParameters.remembered("series_output", ""));
        DenoiseParameters.addFields(gd);
        gd.addCheckbox("Overwrite existing derived series", DenoiseParameters.remembered("overwrite", false));
        gd.addCheckbox("Show before/after", DenoiseParameters.remembered("show", true));
        gd.addHelp(DenoiseParameters.help(TITLE, "One series from a DICOM folder or file (when the folder holds several, "
                + "you pick one; a macro names it with series=[n] or series=[Series Instance UID]). With an <b>Output</b> "
                + "folder it is written as a new DERIVED series there; <b>Show before/after</b> opens the original, the "
                + "denoised image and their difference side by side, linked in slice, zoom and ROI, in modality units."));
        if (!RunMode.showDialog(gd, TITLE)) return;
        String input = gd.getNextString().trim();
        String output = gd.getNextString().trim();
        DenoiseParameters params;
        Path in, out = null;
        try {
            params = DenoiseParameters.read(gd);
            if (input.isEmpty()) throw new IllegalArgumentException("Choose a DICOM folder or file");
            in = Paths.get(input);
            if (!Files.exists(in)) throw new IllegalArgumentException("Input does not exist: " + input);
            if (!output.isEmpty())
                out = DenoiseStudyFolderCommand.checkOutput(Files.isDirectory(in) ? in : in.toAbsolutePath().getParent(), output);
        } catch (IllegalArgumentException e) {
            RunMode.error(TITLE, e.getMessage());
            return;
        }
        boolean overwrite = gd.getNextBoolean();
        boolean show = gd.getNextBoolean();
        if (!RunMode.fromMacro()) {
            params.remember();
            DenoiseParameters.remember("series_input", input);
            DenoiseParameters.remember("series_output", output);
            DenoiseParameters.remember("overwrite", overwrite);
            DenoiseParameters.remember("show", show);
        }
        String options = Macro.getOptions();
        run(in, out, params, overwrite, show, options == null ? null : Macro.getValue(options, "series", null));
    }

    /**
     * Denoises one series of {@code in} (the one {@code series} names, the only one, or the one the user picks) and
     * writes it under {@code out} (null: not saved). The ImageJ 1 and the SciJava command share this.
     */
    static void run(Path in, Path out, DenoiseParameters params, boolean overwrite, boolean show, String series) {
        StudyDenoiser pipeline = new StudyDenoiser(Dicom.backend(), DenoiserSource.supplier(params.method(), params.model()));
        try {
            StudyScan scan;
            try {
                scan = pipeline.scan(in);
            } catch (IOException | RuntimeException e) {
                RunMode.error(TITLE, "cannot read " + in + ": " + e.getMessage());
                return;
            }
            SeriesRef ref;
            try {
                ref = choose(scan, in, series);
            } catch (IllegalArgumentException e) {
                RunMode.error(TITLE, e.getMessage());
                return;
            }
            if (ref == null) return;
            CancelToken cancel = new CancelToken();
            IjProgress progress = new IjProgress(cancel);
            BatchOptions options = new BatchOptions(params.settings(), overwrite, Set.of(ref.seriesInstanceUid()));
            progress.seriesStarted(0, 1, ref);
            SeriesOutcome outcome = pipeline.denoiseSeries(ref, out, options, progress, 0, 1, cancel, true);
            SeriesResult r = outcome.result();
            progress.seriesFinished(0, 1, r);
            MacroResults.record(List.of(r), scan.skipped().size());
            progress.finished("DiffDenoise: " + r.status().name().toLowerCase(Locale.ROOT) + " " + ref.label());
            if (r.status() == SeriesStatus.FAILED) {
                RunMode.error(TITLE, r.message());
                return;
            }
            if (r.status() == SeriesStatus.ALREADY_DONE) IJ.log("DiffDenoise: " + r.message());
            if (r.status() != SeriesStatus.WRITTEN) return;
            if (show && outcome.denoised() != null)
                BeforeAfterViewer.show(BeforeAfterViewer.images(BeforeAfterViewer.seriesName(ref), outcome.source(),
                        outcome.denoised(), params.settings().samples()));
        } finally {
            pipeline.close();
        }
    }

    /** The series to denoise: the only one, the one a macro names, or the one the user picks (null: cancelled). */
    static SeriesRef choose(StudyScan scan, Path in, String wanted) {
        List<SeriesRef> series = scan.series();
        if (series.isEmpty()) {
            StringBuilder why = new StringBuilder("no DICOM image series found in " + in);
            int shown = 0;
            for (SkippedFile f : scan.skipped()) {
                if (shown++ == 5) {
                    why.append("\n  ... and ").append(scan.skipped().size() - 5).append(" more");
                    break;
                }
                why.append("\n  ").append(f.file()).append(": ").append(f.reason());
            }
            throw new IllegalArgumentException(why.toString());
        }
        if (wanted != null && !wanted.isBlank()) return resolve(series, wanted);
        if (series.size() == 1) return series.get(0);
        if (RunMode.unattended())
            throw new IllegalArgumentException(in + " holds " + series.size() + " series; name one with series=[n] (1-based) or series=[Series Instance UID]:\n" + listing(series));
        String[] items = new String[series.size()];
        for (int i = 0; i < items.length; i++) items[i] = item(i, series.get(i));
        GenericDialog gd = new GenericDialog("DiffDenoise - choose a series");
        gd.addMessage(in + " holds " + series.size() + " series.");
        gd.addChoice("Series", items, items[0]);
        gd.showDialog();
        if (gd.wasCanceled()) return null;
        return series.get(gd.getNextChoiceIndex());
    }

    /** Finds a series by Series Instance UID, by 1-based index, or by a dialog item "n: ...". */
    static SeriesRef resolve(List<SeriesRef> series, String wanted) {
        String w = wanted.trim();
        for (SeriesRef s : series) if (s.seriesInstanceUid().equals(w)) return s;
        String number = w.contains(":") ? w.substring(0, w.indexOf(':')).trim() : w;
        if (number.matches("\\d{1,6}")) {
            int i = Integer.parseInt(number);
            if (i >= 1 && i <= series.size()) return series.get(i - 1);
        }
        throw new IllegalArgumentException("series=[" + wanted + "] matches no series (give 1 to " + series.size() + " or a Series Instance UID):\n" + listing(series));
    }

    static String item(int i, SeriesRef s) {
        return String.format(Locale.ROOT, "%d: %s #%s %s - %dx%d, %d slice(s)%s", i + 1, s.modality(),
                s.seriesNumber() == null ? "-" : s.seriesNumber(), s.seriesDescription() == null ? "" : s.seriesDescription(),
                s.columns(), s.rows(), s.slices(), s.decodable() ? "" : " (cannot be decoded)");
    }

    private static String listing(List<SeriesRef> series) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < series.size(); i++)
            sb.append("  ").append(item(i, series.get(i))).append("  UID ").append(series.get(i).seriesInstanceUid()).append('\n');
        return sb.toString();
    }

}
