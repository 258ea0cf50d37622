package org.diffdenoise.fiji;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/** SciJava form of Model Info...: the model bundle's description and a self-check, as text. */
@Plugin(type = Command.class, label = "Model Info", headless = true,
        description = "Describes a model bundle (name, version, checksum) and runs a self-check")
public final class ModelInfoSciJavaCommand implements Command {

    @Parameter(persist = false, label = "Model bundle folder (empty: shipped model)", required = false, style = FileWidget.DIRECTORY_STYLE)
    File model;

    @Parameter(type = ItemIO.OUTPUT, label = "Model info")
    String info;

    @Parameter(type = ItemIO.OUTPUT, label = "Error (empty when it ran)")
    String error;

    @Override
    public void run() {
        MacroResults.clear();
        RunMode.guarded(ModelInfoCommand.TITLE, () -> {
            if (model != null && !model.getPath().isBlank() && !model.isDirectory())
                RunMode.error(ModelInfoCommand.TITLE, "Model folder does not exist: " + model);
            else {
                info = String.join("\n", ModelInfoCommand.describe(model == null || model.getPath().isBlank() ? null : model.toPath()));
                MacroResults.recordInfo(info);
            }
        });
        error = MacroResults.error();
    }
}
