package org.diffdenoise.fiji;

import java.io.File;
import java.nio.file.Path;
import java.util.Set;

import org.diffdenoise.pipeline.BatchOptions;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/**
 * SciJava form of Denoise Study Folder (Batch)...: every series of a study folder into one new derived series each.
 * Same parameter names as the macro keys; the same implementation as the ImageJ 1 menu entry.
 */
@Plugin(type = Command.class, label = "Denoise Study Folder (Batch)", headless = true,
        description = "Denoises every DICOM series of a study folder into new derived series")
public final class DenoiseStudyFolderSciJavaCommand extends AbstractDenoiseCommand {

    @Parameter(persist = false, label = "Input (study folder, never modified)", style = FileWidget.DIRECTORY_STYLE)
    File input;

    @Parameter(persist = false, label = "Output (new derived series go here)", style = FileWidget.DIRECTORY_STYLE)
    File output;

    @Parameter(persist = false, label = "Overwrite derived series written with other settings", required = false)
    boolean overwrite;

    @Parameter(type = ItemIO.OUTPUT, label = "Derived series folders, one per line")
    String outputs;

    @Override
    public void run() {
        runReported(DenoiseStudyFolderCommand.TITLE, () -> {
            DenoiseParameters params = parameters();
            if (input == null || output == null) throw new IllegalArgumentException("Choose the input and the output folder");
            Path in = DenoiseStudyFolderCommand.checkInput(input.getPath());
            Path out = DenoiseStudyFolderCommand.checkOutput(in, output.getPath());
            DenoiseStudyFolderCommand.run(in, out, new BatchOptions(params.settings(), overwrite, Set.of()), params);
        });
        outputs = MacroResults.outputs();
    }
}
