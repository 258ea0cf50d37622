package org.diffdenoise.fiji;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/**
 * SciJava form of Denoise DICOM Series...: one series of a folder or file, optionally written as a derived series.
 * Same parameter names as the macro keys; the same implementation as the ImageJ 1 menu entry.
 */
@Plugin(type = Command.class, label = "Denoise DICOM Series", headless = true,
        description = "Denoises one DICOM series, optionally saving it as a derived series")
public final class DenoiseDicomSeriesSciJavaCommand extends AbstractDenoiseCommand {

    @Parameter(persist = false, label = "Input (DICOM folder or file)", style = FileWidget.DIRECTORY_STYLE)
    File input;

    @Parameter(persist = false, label = "Output (empty: do not save)", required = false, style = FileWidget.DIRECTORY_STYLE)
    File output;

    @Parameter(persist = false, label = "Series (1-based number or Series Instance UID; empty: the only one)", required = false)
    String series = "";

    @Parameter(persist = false, label = "Overwrite derived series written with other settings", required = false)
    boolean overwrite;

    @Parameter(persist = false, label = "Show before/after", required = false)
    boolean show;

    @Parameter(type = ItemIO.OUTPUT, label = "Derived series folder")
    String outputs;

    @Override
    public void run() {
        runReported(DenoiseDicomSeriesCommand.TITLE, () -> {
            DenoiseParameters params = parameters();
            if (input == null) throw new IllegalArgumentException("Choose a DICOM folder or file");
            Path in = input.toPath();
            if (!Files.exists(in)) throw new IllegalArgumentException("Input does not exist: " + input);
            Path out = output == null || output.getPath().isBlank() ? null
                    : DenoiseStudyFolderCommand.checkOutput(Files.isDirectory(in) ? in : in.toAbsolutePath().getParent(), output.getPath());
            DenoiseDicomSeriesCommand.run(in, out, params, overwrite, show, series);
        });
        outputs = MacroResults.outputs();
    }
}
