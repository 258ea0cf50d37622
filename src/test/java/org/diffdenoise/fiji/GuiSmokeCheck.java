package org.diffdenoise.fiji;

import java.awt.Menu;
import java.awt.MenuBar;
import java.awt.MenuItem;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.Menus;
import ij.WindowManager;
import ij.gui.Roi;
import ij.measure.ResultsTable;

/**
 * Runs in its own JVM on a (virtual) display: starts ImageJ 1 with the plugin jar in its plugins folder, runs the
 * menu command from a macro and records what the windows look like into a properties file (args: study folder,
 * properties file, screenshot PNG). {@link FijiGuiTest} starts it and checks the properties.
 */
public final class GuiSmokeCheck {

    public static void main(String[] args) throws Exception {
        Path study = Paths.get(args[0]);
        Path report = Paths.get(args[1]);
        Path screenshot = Paths.get(args[2]);
        Properties p = new Properties();
        try {
            run(study, report, screenshot, p);
            p.setProperty("completed", "true");
        } catch (Throwable t) {
            StringBuilder texts = new StringBuilder();
            for (java.awt.Window w : WindowManager.getAllNonImageWindows())
                if (w instanceof ij.text.TextWindow tw) texts.append("\n[").append(tw.getTitle()).append("]\n").append(tw.getTextPanel().getText());
            p.setProperty("error", t + texts.toString());
            t.printStackTrace();
        } finally {
            try (OutputStream out = Files.newOutputStream(report)) {
                p.store(out, "GuiSmokeCheck");
            }
            System.exit(0);
        }
    }

    private static void run(Path study, Path report, Path screenshot, Properties p) throws Exception {
        new ImageJ(ImageJ.STANDALONE);
        waitFor(() -> IJ.getInstance() != null && IJ.getInstance().isShowing(), 20_000, "ImageJ window");
        p.setProperty("menu", String.join("|", menuItems(Menus.getMenuBar(), "Plugins", "Denoising", "Diffusion Denoiser")));

        IJ.runMacro("run(\"Denoise DICOM Series...\", \"input=[" + study.toAbsolutePath() + "] steps=2 samples=2 show\");");
        waitFor(() -> WindowManager.getImageCount() >= 4, 30_000, "four viewer windows");
        ImagePlus before = find(" - original"), after = find(" - denoised"), diff = find(" - method noise"), unc = find(" - uncertainty");
        p.setProperty("titles", String.join("|", List.of(before.getTitle(), after.getTitle(), diff.getTitle(), unc.getTitle())));
        p.setProperty("slices", before.getStackSize() + "," + after.getStackSize() + "," + diff.getStackSize() + "," + unc.getStackSize());
        p.setProperty("range.before", before.getDisplayRangeMin() + "," + before.getDisplayRangeMax());
        p.setProperty("range.after", after.getDisplayRangeMin() + "," + after.getDisplayRangeMax());
        p.setProperty("calibration", before.getCalibration().pixelWidth + "," + before.getCalibration().pixelHeight + ","
                + before.getCalibration().pixelDepth + "," + before.getCalibration().getUnit());
        p.setProperty("calibration.after", after.getCalibration().pixelWidth + "," + after.getCalibration().getUnit());
        p.setProperty("uncertainty.max", String.valueOf(new ij.process.StackStatistics(unc).max));
        p.setProperty("windows", String.valueOf(before.getWindow() != null && after.getWindow() != null && before.getWindow().isShowing()));

        // slice: change it in the original, the others follow
        int target = before.getStackSize();
        SwingUtilities.invokeAndWait(() -> before.setSlice(target));
        waitFor(() -> after.getCurrentSlice() == target && diff.getCurrentSlice() == target, 5_000, "slice sync");
        p.setProperty("slice.synced", after.getCurrentSlice() + "," + diff.getCurrentSlice() + "," + unc.getCurrentSlice());

        // zoom: zoom in on the denoised image, the original follows
        SwingUtilities.invokeAndWait(() -> after.getCanvas().zoomIn(after.getWidth() / 2, after.getHeight() / 2));
        waitFor(() -> before.getCanvas().getMagnification() == after.getCanvas().getMagnification(), 5_000,
                () -> "zoom sync: " + before.getCanvas().getMagnification() + " " + after.getCanvas().getMagnification() + " " + diff.getCanvas().getMagnification());
        p.setProperty("zoom", before.getCanvas().getMagnification() + "," + after.getCanvas().getMagnification());
        p.setProperty("srcRect.same", String.valueOf(before.getCanvas().getSrcRect().equals(after.getCanvas().getSrcRect())));

        // ROI: drawn on the original, copied to the others and measured side by side
        SwingUtilities.invokeAndWait(() -> before.setRoi(new Roi(100, 100, 40, 30)));
        // the table window is registered before ImageJ attaches its table (on the event thread): wait for both
        waitFor(() -> after.getRoi() != null && roiTable() != null && roiTable().size() == 4, 10_000, "ROI sync and table");
        p.setProperty("roi.after", String.valueOf(after.getRoi().getBounds()));
        ResultsTable rt = roiTable();
        p.setProperty("roi.rows", String.valueOf(rt.size()));
        p.setProperty("roi.columns", rt.getColumnHeadings().trim().replace('\t', '|'));
        p.setProperty("roi.sd", rt.getValue("SD", 0) + "," + rt.getValue("SD", 1));

        Thread.sleep(500);
        Rectangle area = new Rectangle(0, 0, 0, 0);
        for (ImagePlus imp : List.of(before, after, diff, unc)) area = area.union(imp.getWindow().getBounds());
        area = area.intersection(new Rectangle(java.awt.Toolkit.getDefaultToolkit().getScreenSize()));
        BufferedImage shot = new Robot().createScreenCapture(area);
        Files.createDirectories(screenshot.toAbsolutePath().getParent());
        ImageIO.write(shot, "png", screenshot.toFile());
        p.setProperty("screenshot", screenshot.toString());

        // Compare Before/After... on two chosen open images
        int count = WindowManager.getImageCount();
        IJ.runMacro("run(\"Compare Before/After...\", \"before=[" + before.getTitle() + "] after=[" + after.getTitle() + "] difference measure\");");
        waitFor(() -> WindowManager.getImageCount() == count + 1, 10_000, "comparison difference window");
        p.setProperty("compare.images", String.valueOf(WindowManager.getImageCount() - count));

        recordAndReplay(study, report.toAbsolutePath().getParent(), p);
    }

    /** Fills the batch dialog as a user would with the Recorder on, then replays the recorded line as a macro. */
    private static void recordAndReplay(Path study, Path base, Properties p) throws Exception {
        Path recordedOut = base.resolve("recorded-out"), replayedOut = base.resolve("replayed-out");
        SwingUtilities.invokeAndWait(() -> new ij.plugin.frame.Recorder());
        waitFor(() -> ij.plugin.frame.Recorder.getInstance() != null && ij.plugin.frame.Recorder.record, 5_000, "the Recorder");
        IJ.doCommand("Denoise Study Folder (Batch)...");
        ij.gui.GenericDialog gd = waitForDialog("DiffDenoise - Denoise Study Folder (Batch)");
        SwingUtilities.invokeAndWait(() -> {
            @SuppressWarnings("unchecked")
            java.util.Vector<java.awt.TextField> strings = gd.getStringFields();
            @SuppressWarnings("unchecked")
            java.util.Vector<java.awt.TextField> numbers = gd.getNumericFields();
            strings.get(0).setText(study.toAbsolutePath().toString());
            strings.get(1).setText(recordedOut.toString());
            numbers.get(0).setText("1");
            java.awt.Button ok = java.util.Arrays.stream(gd.getButtons()).filter(b -> b != null && "  OK  ".trim().equals(b.getLabel().trim())).findFirst().orElseThrow();
            gd.actionPerformed(new java.awt.event.ActionEvent(ok, java.awt.event.ActionEvent.ACTION_PERFORMED, ok.getLabel()));
        });
        waitFor(() -> ij.plugin.frame.Recorder.getInstance().getText().contains("Denoise Study Folder (Batch)...")
                && MacroResults.written().equals("1"), 60_000, () -> "recorded batch run: " + ij.plugin.frame.Recorder.getInstance().getText());
        String line = java.util.Arrays.stream(ij.plugin.frame.Recorder.getInstance().getText().split("\n"))
                .filter(l -> l.contains("Denoise Study Folder")).findFirst().orElseThrow();
        p.setProperty("recorded", line);
        p.setProperty("recorded.written", MacroResults.written());
        ij.plugin.frame.Recorder.record = false;
        MacroResults.clear();
        IJ.runMacro(line.replace(recordedOut.toString(), replayedOut.toString()));
        p.setProperty("replayed.written", MacroResults.written());
    }

    static ij.gui.GenericDialog waitForDialog(String title) throws Exception {
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            for (java.awt.Window w : java.awt.Window.getWindows())
                if (w instanceof ij.gui.GenericDialog gd && gd.isShowing() && title.equals(gd.getTitle())) return gd;
            Thread.sleep(50);
        }
        throw new IllegalStateException("no dialog titled " + title);
    }

    static ImagePlus find(String titlePart) {
        for (int id : WindowManager.getIDList()) {
            ImagePlus imp = WindowManager.getImage(id);
            if (imp.getTitle().contains(titlePart)) return imp;
        }
        throw new IllegalStateException("no window titled *" + titlePart + "*");
    }

    private static List<String> menuItems(MenuBar bar, String... path) {
        List<String> items = new ArrayList<>();
        if (bar == null) return items;
        Menu menu = null;
        for (int i = 0; i < bar.getMenuCount(); i++) if (path[0].equals(bar.getMenu(i).getLabel())) menu = bar.getMenu(i);
        for (int level = 1; menu != null && level < path.length; level++) {
            Menu next = null;
            for (int i = 0; i < menu.getItemCount(); i++) {
                MenuItem it = menu.getItem(i);
                if (it instanceof Menu m && path[level].equals(m.getLabel())) next = m;
            }
            menu = next;
        }
        if (menu != null) for (int i = 0; i < menu.getItemCount(); i++) items.add(menu.getItem(i).getLabel());
        return items;
    }

    static void waitFor(BooleanSupplier condition, long millis, String what) throws InterruptedException, IOException {
        waitFor(condition, millis, () -> what);
    }

    static void waitFor(BooleanSupplier condition, long millis, java.util.function.Supplier<String> what) throws InterruptedException, IOException {
        // the limits are for a quiet machine; a loaded one (a shared CI core, a training run beside it) gets 4x: a
        // condition that holds returns at once, so only a real failure waits the longer time
        long end = System.currentTimeMillis() + 4 * millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new IllegalStateException("timed out waiting for " + what.get());
            Thread.sleep(50);
        }
    }

    static ResultsTable roiTable() {
        java.awt.Window w = WindowManager.getWindow(BeforeAfterViewer.ROI_TABLE);
        return w instanceof ij.text.TextWindow tw ? tw.getResultsTable() : null;
    }
}
