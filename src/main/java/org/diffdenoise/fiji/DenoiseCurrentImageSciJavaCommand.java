package org.diffdenoise.fiji;

import java.io.File;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/**
 * SciJava form of Denoise Current Image...: an ImageJ image (the active one in Fiji) into a new 32-bit image in
 * calibrated units, returned as {@code denoised} (and {@code uncertainty} with several samples), or, with
 * {@code save}, written as a derived DICOM series. Same parameter names and implementation as the ImageJ 1 entry.
 */
@Plugin(type = Command.class, label = "Denoise Current Image", headless = true,
        description = "Denoises an open image into a new 32-bit image")
public final class DenoiseCurrentImageSciJavaCommand extends AbstractDenoiseCommand {

    @Parameter(persist = false, label = "Image")
    ImagePlus image;

    @Parameter(persist = false, label = "Modality (noise model)", choices = {"MR", "CT", "CR", "DX", "XA", "RF", "MG", "OT"})
    String modality = "MR";

    @Parameter(persist = false, label = "Compare with the original (opens the viewer)", required = false)
    boolean compare;

    @Parameter(persist = false, label = "Save as derived DICOM series (DICOM images only)", required = false)
    boolean save;

    @Parameter(persist = false, label = "Output (for the derived series)", required = false, style = FileWidget.DIRECTORY_STYLE)
    File output;

    @Parameter(type = ItemIO.OUTPUT, label = "Denoised")
    ImagePlus denoised;

    @Parameter(type = ItemIO.OUTPUT, label = "Uncertainty (SD of the samples)")
    ImagePlus uncertainty;

    @Override
    public void run() {
        runReported(DenoiseCurrentImageCommand.TITLE, () -> {
            if (image == null) throw new IllegalArgumentException("no image given");
            ImagePlusConversion.checkGrayscale(image);
            DenoiseParameters params = parameters();
            String m = modality == null ? "MR" : modality.trim().toUpperCase(Locale.ROOT);
            if (!List.of(DenoiseCurrentImageCommand.MODALITIES).contains(m))
                throw new IllegalArgumentException("Modality must be one of " + String.join(", ", DenoiseCurrentImageCommand.MODALITIES) + ", got " + modality);
            if (save) {
                DenoiseCurrentImageCommand.saveAsDerived(image, params, output == null ? "" : output.getPath(), compare);
                return;
            }
            ImagePlus[] result = DenoiseCurrentImageCommand.denoiseInMemory(image, params, m, compare, compare);
            if (result != null && !compare) {
                denoised = result[0];
                uncertainty = result[1];
            }
        });
    }
}
