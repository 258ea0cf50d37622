package org.diffdenoise.fiji;

import ij.ImagePlus;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** SciJava form of Compare Before/After...: the same parameter names and implementation as the ImageJ 1 entry. */
@Plugin(type = Command.class, label = "Compare Before/After", headless = true,
        description = "Links two images, gives them one display range, adds their difference, measures ROIs in both")
public final class CompareBeforeAfterSciJavaCommand implements Command {

    @Parameter(persist = false, label = "Before (original)")
    ImagePlus before;

    @Parameter(persist = false, label = "After (denoised)")
    ImagePlus after;

    @Parameter(persist = false, label = "Difference image (before - after)", required = false)
    boolean difference = true;

    @Parameter(persist = false, label = "Measure the ROI in both", required = false)
    boolean measure = true;

    @Parameter(persist = false, label = "CNR of the ROI Manager's first two ROIs (signal, background)", required = false)
    boolean cnr;

    @Parameter(persist = false, label = "Curtain: one window with a draggable split", required = false)
    boolean curtain;

    @Parameter(type = ItemIO.OUTPUT, label = "Error (empty when it ran)")
    String error;

    @Override
    public void run() {
        MacroResults.clear();
        RunMode.guarded(CompareBeforeAfterCommand.TITLE, () -> {
            if (before == null || after == null || before == after) RunMode.error(CompareBeforeAfterCommand.TITLE, "choose two different images");
            else {
                try {
                    CompareBeforeAfterCommand.compare(before, after, difference, measure);
                    if (cnr) CompareBeforeAfterCommand.contrastToNoise(before, after);
                    if (curtain && RunMode.canShowWindows()) CurtainView.of(before, after).show();
                } catch (IllegalArgumentException e) {
                    RunMode.error(CompareBeforeAfterCommand.TITLE, e.getMessage());
                }
            }
        });
        error = MacroResults.error();
    }
}
