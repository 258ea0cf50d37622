package org.diffdenoise.fiji;

import java.awt.GraphicsEnvironment;

import ij.IJ;
import ij.Macro;
import ij.macro.Interpreter;

/** Whether a command runs for a person (dialogs allowed) or for a macro, batch mode or headless (never block). */
final class RunMode {
    private RunMode() {
    }

    /** True when nothing may pop up: a macro (with or without options), batch mode, or a headless JVM. */
    static boolean unattended() {
        return GraphicsEnvironment.isHeadless() || Macro.getOptions() != null || IJ.isMacro() || Interpreter.isBatchMode();
    }

    /** True when the command got its parameters from a macro's options string. */
    static boolean fromMacro() {
        return Macro.getOptions() != null;
    }

    /** True when windows can be shown (not headless); batch-mode images are kept by the interpreter instead. */
    static boolean canShowWindows() {
        return !GraphicsEnvironment.isHeadless();
    }

    /**
     * Adds a folder field (key: the label's first word). Headless, a plain text field: the patched headless dialog
     * does not read directory fields back.
     */
    static void addFolderField(ij.gui.GenericDialog gd, String label, String value) {
        if (GraphicsEnvironment.isHeadless()) gd.addStringField(label, value, 40);
        else gd.addDirectoryField(label, value, 40);
    }

    /**
     * Reports an error: a dialog for a person, a Log line for a macro or headless run (a popup would block the batch).
     * Either way the macro can read it back with {@code call("org.diffdenoise.fiji.MacroResults.error")}.
     */
    static void error(String command, String message) {
        MacroResults.recordError(command + ": " + message);
        if (unattended()) IJ.log("DiffDenoise error (" + command + "): " + org.diffdenoise.api.PrintableText.escape(message));
        else IJ.error("DiffDenoise - " + command, message);
    }

    /**
     * Runs a command's body so that nothing it throws is lost: any Throwable (a missing library included) is reported
     * like {@link #error}, and its stack trace goes to the console for a bug report.
     */
    static void guarded(String command, Runnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            t.printStackTrace();
            try {
                IJ.showStatus("DiffDenoise: " + command + " failed; see the Log");
                error(command, CommandFailure.describe(t));
            } catch (Throwable again) {
                // the Log itself failed (e.g. ImageJ's own classes are broken): stderr is all that is left
                System.err.println("DiffDenoise error (" + command + "): " + CommandFailure.describe(t));
            }
        }
    }

    /** Shows the dialog; false when the user cancelled, which is recorded for {@code MacroResults}. */
    static boolean showDialog(ij.gui.GenericDialog gd, String title) {
        gd.showDialog();
        if (!gd.wasCanceled()) return true;
        MacroResults.recordError(title + ": cancelled in the dialog");
        return false;
    }
}
