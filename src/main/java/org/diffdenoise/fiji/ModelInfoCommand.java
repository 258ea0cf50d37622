package org.diffdenoise.fiji;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import ij.text.TextWindow;

import org.diffdenoise.Version;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.pipeline.DenoiserRegistry;

/**
 * Plugins > Denoising > Diffusion Denoiser > Model Info...: the model bundle's metadata (name, version, training,
 * noise families, checksum) in a text window, or in the Log for macros and headless runs.
 */
public final class ModelInfoCommand implements PlugIn {
    static final String TITLE = "Model Info";

    @Override
    public void run(String arg) {
        RunMode.guarded(TITLE, this::runFromDialog);
    }

    /** The dialog (or the macro's options), then the work. */
    private void runFromDialog() {
        MacroResults.clear();
        GenericDialog gd = new GenericDialog("DiffDenoise - " + TITLE);
        RunMode.addFolderField(gd, "Model (empty: shipped model)", DenoiseParameters.remembered("model", ""));
        gd.addMessage("Loads the model, denoises a synthetic slice (PSNR before and after)\nand says where it ran (CPU or GPU).");
        gd.addHelp("<html><h3>DiffDenoise - Model Info</h3><p>Shows the model bundle's name, version, training, noise "
                + "families and weight checksum, and runs a self-check: a synthetic slice with known noise is denoised and "
                + "its PSNR before and after is reported with the device the network ran on. <b>Model</b>: a bundle folder "
                + "(saved model + diffdenoise-model.json); empty: the shipped model.</p></html>");
        if (!RunMode.showDialog(gd, TITLE)) return;
        String model = gd.getNextString().trim();
        Path bundle = model.isEmpty() ? null : Paths.get(model);
        if (bundle != null && !Files.isDirectory(bundle)) {
            RunMode.error(TITLE, "Model folder does not exist: " + model);
            return;
        }
        List<String> lines = describe(bundle);
        MacroResults.recordInfo(String.join("\n", lines));
        if (RunMode.unattended()) {
            for (String l : lines) IJ.log(l);
        } else {
            new TextWindow("DiffDenoise model info", String.join("\n", lines), 960, 480);
        }
    }

    /** The lines shown: software version, the denoiser's own description, and the bundle's metadata file. */
    static List<String> describe(Path bundle) {
        List<String> lines = new ArrayList<>();
        lines.add(Version.NAME + " " + Version.get());
        lines.add("Model bundle: " + (bundle == null ? "shipped model" : bundle.toAbsolutePath()));
        try (Denoiser d = DenoiserSource.create(DenoiserRegistry.Method.diffusion, bundle)) {
            ModelDescriptor m = d.describe();
            lines.add("Method: " + m.method());
            lines.add("Model: " + m.name() + " " + m.version());
            lines.add("Weights sha256: " + (m.sha256().isEmpty() ? "-" : m.sha256()));
            try {
                org.diffdenoise.pipeline.SelfCheck.Result check = org.diffdenoise.pipeline.SelfCheck.run(d, 128, 5);
                lines.add("Self-check: " + check + (check.improved() ? "" : " - the model did not improve the slice; "
                        + "check its conventions (normalization, x_t, sigma map) against docs/model.md"));
            } catch (RuntimeException e) {
                lines.add("Self-check failed: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            lines.add("The model could not be loaded: " + e.getMessage());
        }
        if (bundle != null) {
            Path meta = bundle.resolve(org.diffdenoise.model.BundleMetadata.FILE_NAME);
            if (!Files.isRegularFile(meta)) {
                lines.add("No " + org.diffdenoise.model.BundleMetadata.FILE_NAME + " in " + bundle);
            } else {
                try {
                    JsonElement json = JsonParser.parseString(Files.readString(meta, StandardCharsets.UTF_8));
                    lines.add("Metadata (" + meta + "):");
                    if (json.isJsonObject()) summarize(json.getAsJsonObject(), lines);
                    lines.add(new GsonBuilder().setPrettyPrinting().create().toJson(json));
                } catch (IOException | RuntimeException e) {
                    lines.add("Cannot read " + meta + ": " + e.getMessage());
                }
            }
        }
        return lines;
    }

    /** The fields a user looks for first, one per line. */
    private static void summarize(JsonObject o, List<String> lines) {
        for (String key : List.of("name", "version", "created", "prediction", "noiseFamilies", "schedule", "normalization", "sha256")) {
            JsonElement v = o.get(key);
            if (v != null) lines.add("  " + key + ": " + (v.isJsonPrimitive() ? v.getAsString() : v.toString()));
        }
        JsonElement training = o.get("training");
        if (training != null && training.isJsonObject())
            for (Map.Entry<String, JsonElement> e : training.getAsJsonObject().entrySet())
                lines.add("  training." + e.getKey() + ": " + e.getValue());
    }
}
