package org.diffdenoise.fiji;

import static org.diffdenoise.fiji.GuiSmokeCheck.find;
import static org.diffdenoise.fiji.GuiSmokeCheck.waitFor;
import static org.diffdenoise.fiji.GuiSmokeCheck.waitForDialog;

import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Vector;

import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.Roi;
import ij.plugin.frame.Recorder;
import ij.plugin.frame.RoiManager;
import ij.process.ImageProcessor;

/**
 * Runs in its own JVM on a (virtual) display: each of the five dialogs is filled and confirmed as a user would, with
 * the Recorder on, and photographed; the before/after viewer and Compare Before/After are photographed with a
 * 1152x1024 MR pair, and so is the curtain. Args: study folder, one DICOM slice, output folder (PNGs, recorded.ijm,
 * gui.properties). {@link CompareViewGuiTest} starts it and checks what it recorded.
 */
public final class CompareViewGuiCheck {
    static final String IMAGE = "MR brain 1152x1024";

    public static void main(String[] args) throws Exception {
        Path study = Paths.get(args[0]), slice = Paths.get(args[1]), out = Paths.get(args[2]);
        Properties p = new Properties();
        try {
            run(study, slice, out, p);
            p.setProperty("completed", "true");
        } catch (Throwable t) {
            p.setProperty("error", String.valueOf(t));
            t.printStackTrace();
        } finally {
            try (OutputStream o = Files.newOutputStream(out.resolve("gui.properties"))) {
                p.store(o, "CompareViewGuiCheck");
            }
            System.exit(0);
        }
    }

    private static void run(Path study, Path slice, Path out, Properties p) throws Exception {
        new ImageJ(ImageJ.STANDALONE);
        waitFor(() -> IJ.getInstance() != null && IJ.getInstance().isShowing(), 20_000, "ImageJ window");
        Rectangle screen = new Rectangle(java.awt.Toolkit.getDefaultToolkit().getScreenSize());
        p.setProperty("screen", screen.width + "x" + screen.height);
        SwingUtilities.invokeAndWait(Recorder::new);
        waitFor(() -> Recorder.getInstance() != null && Recorder.record, 5_000, "the Recorder");
        Recorder.getInstance().setVisible(false); // keep it out of the screenshots; it still records

        // a noisy 1152x1024 MR image: a real slice scaled up, with Gaussian noise so that denoising shows
        ImagePlus src = IJ.openImage(slice.toString());
        ImageProcessor big = src.getProcessor().convertToFloat().resize(1152, 1024, true);
        big.noise(25);
        ImagePlus noisy = new ImagePlus(IMAGE, big);
        SwingUtilities.invokeAndWait(noisy::show);
        waitFor(() -> noisy.getWindow() != null && noisy.getWindow().isShowing(), 5_000, "the noisy image");

        // Denoise Current Image..., with the viewer
        GenericDialog gd = open("Denoise Current Image...", "DiffDenoise - Denoise Current Image", out, "dialog-denoise-current-image.png");
        confirm(gd, d -> {
            checkbox(d, "Compare").setState(true);
            checkbox(d, "Save").setState(false);
        });
        waitFor(() -> WindowManager.getImageCount() >= 3, 120_000, "the viewer's three windows");
        ImagePlus before = find(IMAGE), after = find("(denoised)"), diff = find("method noise");
        // the windows are counted as soon as they open, but placed and linked after: a ROI set before the link
        // exists is taken as the starting state and never measured, and a window still being placed looks misplaced
        waitFor(() -> LinkedViews.isLinked(before) && LinkedViews.isLinked(after) && LinkedViews.isLinked(diff), 30_000, "the viewer linked");
        Thread.sleep(1000);
        shot(screen, out.resolve("viewer-1152x1024.png"));
        describe(p, "viewer", List.of(before, after, diff), screen);

        // a ROI: measured in all three, in a wide table
        SwingUtilities.invokeAndWait(() -> before.setRoi(new Roi(500, 400, 120, 90)));
        waitFor(() -> GuiSmokeCheck.roiTable() != null && GuiSmokeCheck.roiTable().size() == 3, 10_000, "ROI table, 3 rows");
        Thread.sleep(800);
        Window table = WindowManager.getWindow(BeforeAfterViewer.ROI_TABLE);
        p.setProperty("viewer.table", table.getBounds().x + "," + table.getBounds().y + "," + table.getWidth() + "," + table.getHeight());
        p.setProperty("viewer.table.onscreen", String.valueOf(screen.contains(table.getBounds())));
        shot(screen, out.resolve("viewer-roi-table.png"));
        SwingUtilities.invokeAndWait(diff::close);

        // Compare Before/After...: the pair side by side, linked, measured; CNR of a signal and a background ROI
        RoiManager rm = RoiManager.getRoiManager();
        SwingUtilities.invokeAndWait(() -> {
            rm.addRoi(new Roi(520, 420, 100, 80));   // signal: brain tissue
            rm.addRoi(new Roi(40, 40, 120, 100));    // background: air outside the head
            rm.setVisible(false);
        });
        gd = open("Compare Before/After...", "DiffDenoise - Compare Before/After", out, "dialog-compare.png");
        String afterTitle = after.getTitle();
        confirm(gd, d -> {
            choice(d, 0).select(IMAGE);
            choice(d, 1).select(afterTitle);
            checkbox(d, "Difference").setState(false);
            checkbox(d, "Measure").setState(true);
            checkbox(d, "CNR").setState(true);
            checkbox(d, "Curtain").setState(false);
        });
        waitFor(() -> WindowManager.getWindow(CompareBeforeAfterCommand.CNR_TABLE) != null, 20_000, "the CNR table");
        Thread.sleep(800);
        ij.measure.ResultsTable cnr = ((ij.text.TextWindow) WindowManager.getWindow(CompareBeforeAfterCommand.CNR_TABLE)).getResultsTable();
        p.setProperty("cnr", cnr.getValue("CNR", 0) + "," + cnr.getValue("CNR", 1));
        describe(p, "pair", List.of(before, after), screen);
        // the ROI the original still carries is measured at once, in a table holding only this pair's rows
        waitFor(() -> GuiSmokeCheck.roiTable() != null && GuiSmokeCheck.roiTable().size() > 0, 10_000, "the pair's ROI table");
        Thread.sleep(300);
        ij.measure.ResultsTable first = GuiSmokeCheck.roiTable();
        p.setProperty("pair.roitable.first", first == null ? "none" : first.size() + "," + first.getColumnAsVariables("Image").length);
        p.setProperty("pair.roitable.first.images", first == null ? "" : String.join("|", java.util.stream.IntStream.range(0, first.size()).mapToObj(r -> first.getStringValue("Image", r)).toList()));
        SwingUtilities.invokeAndWait(() -> before.setRoi(new Roi(300, 300, 80, 80)));
        waitFor(() -> GuiSmokeCheck.roiTable() != null && GuiSmokeCheck.roiTable().size() == 2, 10_000, "a ROI table with the pair's 2 rows");
        Thread.sleep(800);
        p.setProperty("pair.roitable.rows", String.valueOf(GuiSmokeCheck.roiTable().size()));
        shot(screen, out.resolve("compare-pair.png"));

        // the curtain: one window, split dragged to a third
        CurtainView[] curtain = new CurtainView[1];
        SwingUtilities.invokeAndWait(() -> {
            curtain[0] = CurtainView.of(before, after);
            curtain[0].show();
        });
        waitFor(() -> curtain[0].image().getWindow() != null && curtain[0].image().getWindow().isShowing(), 5_000, "curtain window");
        SwingUtilities.invokeAndWait(() -> curtain[0].setSplit(1152 / 3));
        Thread.sleep(800);
        Rectangle cw = curtain[0].image().getWindow().getBounds();
        p.setProperty("curtain.bounds", cw.x + "," + cw.y + "," + cw.width + "," + cw.height);
        p.setProperty("curtain.onscreen", String.valueOf(screen.contains(cw)));
        shot(cw.intersection(screen), out.resolve("curtain.png"));
        SwingUtilities.invokeAndWait(() -> curtain[0].image().close());

        // Denoise DICOM Series... (saved, no viewer) and Denoise Study Folder (Batch)...
        gd = open("Denoise DICOM Series...", "DiffDenoise - Denoise DICOM Series", out, "dialog-denoise-dicom-series.png");
        confirm(gd, d -> {
            text(d, 0).setText(study.toString());
            text(d, 1).setText(out.resolve("series-out").toString());
            checkbox(d, "Show").setState(false);
        });
        waitFor(() -> Recorder.getInstance().getText().contains("Denoise DICOM Series") && MacroResults.written().equals("1"), 120_000, "series run");
        gd = open("Denoise Study Folder (Batch)...", "DiffDenoise - Denoise Study Folder (Batch)", out, "dialog-denoise-study-folder.png");
        confirm(gd, d -> {
            text(d, 0).setText(study.toString());
            text(d, 1).setText(out.resolve("batch-out").toString());
        });
        waitFor(() -> Recorder.getInstance().getText().contains("Denoise Study Folder") && MacroResults.written().equals("1"), 120_000, "batch run");
        p.setProperty("log", IJ.getLog());

        // Model Info...
        gd = open("Model Info...", "DiffDenoise - Model Info", out, "dialog-model-info.png");
        confirm(gd, d -> { });
        waitFor(() -> WindowManager.getWindow("DiffDenoise model info") != null, 120_000, "the model info window");
        Thread.sleep(800);
        shot(WindowManager.getWindow("DiffDenoise model info").getBounds().intersection(screen), out.resolve("model-info.png"));

        Files.writeString(out.resolve("recorded.ijm"), Recorder.getInstance().getText());
    }

    /** Runs a menu command, waits for its dialog, photographs it. */
    private static GenericDialog open(String command, String title, Path out, String png) throws Exception {
        IJ.doCommand(command);
        GenericDialog gd = waitForDialog(title);
        // wait until the dialog has been placed (centred) and painted
        Rectangle[] last = {null};
        waitFor(() -> {
            Rectangle b = gd.getBounds();
            boolean stable = b.equals(last[0]) && gd.isShowing();
            last[0] = b;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return stable;
        }, 5_000, "dialog " + title + " placed");
        Thread.sleep(500);
        shot(gd.getBounds(), out.resolve(png));
        return gd;
    }

    /** Fills the dialog on the event thread and presses OK. */
    private static void confirm(GenericDialog gd, java.util.function.Consumer<GenericDialog> fill) throws Exception {
        SwingUtilities.invokeAndWait(() -> {
            fill.accept(gd);
            Button ok = Arrays.stream(gd.getButtons()).filter(b -> b != null && "OK".equals(b.getLabel().trim())).findFirst().orElseThrow();
            gd.actionPerformed(new ActionEvent(ok, ActionEvent.ACTION_PERFORMED, ok.getLabel()));
        });
    }

    @SuppressWarnings("unchecked")
    private static Checkbox checkbox(GenericDialog gd, String labelStart) {
        for (Checkbox c : (Vector<Checkbox>) gd.getCheckboxes()) if (c.getLabel().startsWith(labelStart)) return c;
        throw new IllegalStateException("no checkbox " + labelStart);
    }

    @SuppressWarnings("unchecked")
    private static Choice choice(GenericDialog gd, int i) {
        return ((Vector<Choice>) gd.getChoices()).get(i);
    }

    @SuppressWarnings("unchecked")
    private static TextField text(GenericDialog gd, int i) {
        return ((Vector<TextField>) gd.getStringFields()).get(i);
    }

    /** Window bounds, whether each lies on the screen, and whether any two overlap. */
    private static void describe(Properties p, String key, List<ImagePlus> images, Rectangle screen) {
        StringBuilder bounds = new StringBuilder();
        boolean onScreen = true, overlap = false;
        for (int i = 0; i < images.size(); i++) {
            Rectangle b = images.get(i).getWindow().getBounds();
            bounds.append(b.x).append(',').append(b.y).append(',').append(b.width).append(',').append(b.height).append(';');
            onScreen &= screen.contains(b);
            for (int j = 0; j < i; j++) overlap |= b.intersects(images.get(j).getWindow().getBounds());
        }
        p.setProperty(key + ".bounds", bounds.toString());
        p.setProperty(key + ".onscreen", String.valueOf(onScreen));
        p.setProperty(key + ".overlap", String.valueOf(overlap));
        p.setProperty(key + ".zoom", String.valueOf(images.get(0).getCanvas().getMagnification()));
    }

    private static void shot(Rectangle area, Path png) throws Exception {
        ImageIO.write(new Robot().createScreenCapture(area), "png", png.toFile());
    }
}
