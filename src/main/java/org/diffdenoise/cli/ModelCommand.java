package org.diffdenoise.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;


import org.diffdenoise.diffusion.DiffusionDenoiser;
import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.model.tf.BundleExporter;
import org.diffdenoise.model.tf.TfNetworks;
import org.diffdenoise.model.BundleMetadata;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.ModelSignature;
import org.diffdenoise.pipeline.DenoiserRegistry;
import org.diffdenoise.pipeline.SelfCheck;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Model bundles: turn a SavedModel made elsewhere into a bundle (seal), and check that a bundle loads and denoises. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Work with model bundles (a TensorFlow SavedModel plus diffdenoise-model.json).",
        subcommands = {ModelCommand.Seal.class, ModelCommand.Check.class, ModelCommand.Calibrate.class})
public final class ModelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: seal, check or calibrate");
    }

    /** Writes the metadata that makes a foreign SavedModel a bundle. */
    @Command(name = "seal", mixinStandardHelpOptions = true,
            description = {"Make a SavedModel trained elsewhere (Keras, say) a model bundle: check its serving signature "
                    + "against the one DiffDenoise calls, then write diffdenoise-model.json (with the sha256 of the "
                    + "SavedModel files) and bundle-files.txt into its folder. The SavedModel files are not changed; "
                    + "nothing is written when the check fails. See docs/model.md, 'Bringing your own model'."})
    public static final class Seal implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SAVEDMODEL_DIR", description = "folder with saved_model.pb and variables/")
        Path dir;

        @Option(names = "--name", required = true, description = "model name recorded in provenance")
        String name;

        @Option(names = "--version", required = true, description = "model version recorded in provenance")
        String version;

        @Option(names = "--size-multiple", defaultValue = "8",
                description = "height and width of every call are multiples of this (2^levels for a U-Net; 1: any size); default ${DEFAULT-VALUE}")
        int sizeMultiple;

        @Option(names = "--timesteps", defaultValue = "1000", description = "steps T of the cosine schedule the model was trained with; default ${DEFAULT-VALUE}")
        int timesteps;

        @Option(names = "--cosine-s", defaultValue = "0.008", description = "offset s of the cosine schedule; default ${DEFAULT-VALUE}")
        double cosineS;

        @Option(names = "--tag", defaultValue = "serve", description = "meta-graph tag; default ${DEFAULT-VALUE}")
        String tag;

        @Option(names = "--signature", defaultValue = "serving_default", description = "signature key; default ${DEFAULT-VALUE}")
        String signature;

        @Option(names = "--prediction", defaultValue = "x0 (predicted clean image, normalized units)",
                description = "what the output x0 is and how the model computes it; default: ${DEFAULT-VALUE}")
        String prediction;

        @Option(names = "--training", paramLabel = "KEY=VALUE", description = "how the model was trained (data, steps, command...); repeatable")
        Map<String, String> training = new LinkedHashMap<>();

        @Option(names = "--force", description = "replace an existing diffdenoise-model.json")
        boolean force;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                BundleMetadata m = BundleExporter.seal(dir, new BundleExporter.SealOptions(name, version, sizeMultiple,
                        new NoiseSchedule("cosine", timesteps, cosineS, 0, 0), List.of(tag), signature, prediction,
                        new LinkedHashMap<>(training)), force);
                out.printf("sealed %s: %s %s, sha256 %s%n", dir, m.name(), m.version(), m.sha256());
                out.printf("check it with: diffdenoise model check %s%n", dir);
                out.flush();
                return DiffDenoiseCli.EXIT_OK;
            } catch (Exception e) {
                return fail(spec, e.getMessage());
            }
        }
    }

    /** Loads a bundle and denoises a synthetic noisy slice with it, as a first check of a new model. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Load a model bundle (metadata, sha256, signature), run it on a synthetic MR-like slice with "
                    + "Rician noise through the full sampler (default settings, the true sigma) and report the PSNR "
                    + "before and after and the device. Exit code 1 when the bundle does not load or does not denoise."})
    public static final class Check implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "BUNDLE_DIR", description = "bundle folder; omitted: the shipped model")
        Path dir;

        @Option(names = "--size", defaultValue = "128", description = "side of the test slice in pixels; default ${DEFAULT-VALUE}")
        int size;

        @Option(names = "--noise", defaultValue = "5", description = "Rician sigma in % of the slice's range; default ${DEFAULT-VALUE}")
        double noisePercent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                ModelBundle b = TfNetworks.loadOrDefault(dir);
                out.printf("loaded %s%n", b);
                out.printf("inputs: %s%n", ModelSignature.describeInputs(b.metadata().textureChannels()));
                SelfCheck.Result r = check(b, size, noisePercent);
                out.println(r);
                out.flush();
                if (!r.improved())
                    return fail(spec, "the model did not improve the slice (PSNR fell); check its signature conventions "
                            + "(normalization, x_t, sigma map) against docs/model.md");
                return DiffDenoiseCli.EXIT_OK;
            } catch (Exception e) {
                return fail(spec, e.getMessage());
            }
        }
    }

    /** Fits the uncertainty calibration of a bundle on simulated training data and writes it into its metadata. */
    @Command(name = "calibrate", mixinStandardHelpOptions = true,
            description = {"Fit how the spread of several samples and the local noise level map to the estimated standard "
                    + "deviation of the error (per noise family a table by noise correlation, noise level, SNR and spread, fitted "
                    + "on phantoms and training images with simulated white and realistic noise, never the benchmark's "
                    + "test images; about 3.5 minutes) and write it into the bundle's diffdenoise-model.json. The SavedModel files are not "
                    + "changed. See docs/benchmarks.md, 'Uncertainty map'."})
    public static final class Calibrate implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "BUNDLE_DIR", description = "bundle folder to calibrate (written in place)")
        Path dir;

        @Option(names = "--external-data", defaultValue = "external-data", description = "training data folder; default ${DEFAULT-VALUE}")
        Path externalData;

        @Option(names = "--eta", defaultValue = "" + org.diffdenoise.train.UncertaintyCalibrator.DEFAULT_ETA,
                description = "DDIM eta of the samples (recorded; inference uses it); default ${DEFAULT-VALUE}")
        double eta;

        @Option(names = "--samples", defaultValue = "" + org.diffdenoise.train.UncertaintyCalibrator.DEFAULT_SAMPLES,
                description = "samples per image while fitting; default ${DEFAULT-VALUE}")
        int samples;

        @Option(names = "--steps", defaultValue = "" + org.diffdenoise.api.DenoiseSettings.DEFAULT_STEPS,
                description = "sampling steps while fitting; default ${DEFAULT-VALUE}")
        int steps;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                ModelBundle b = TfNetworks.load(dir);
                out.printf("calibrating %s%n", b);
                out.flush();
                String command = String.format(java.util.Locale.ROOT, "diffdenoise model calibrate BUNDLE_DIR --eta %s --samples %d --steps %d",
                        eta, samples, steps);
                var cal = org.diffdenoise.train.UncertaintyCalibrator.fit(b, externalData, steps, samples, eta, command, out);
                BundleExporter.writeUncertainty(dir, cal);
                out.printf("wrote the uncertainty calibration into %s%n", dir.resolve(BundleMetadata.FILE_NAME));
                return DiffDenoiseCli.EXIT_OK;
            } catch (Exception e) {
                return fail(spec, e.getMessage());
            }
        }
    }

    /** Prints "error: message" and returns the exit code for a failed command. */
    private static int fail(CommandSpec spec, String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: " + message);
        err.flush();
        return DiffDenoiseCli.EXIT_SOME_FAILED;
    }

    /** Runs {@link SelfCheck} with the bundle's diffusion denoiser. */
    public static SelfCheck.Result check(ModelBundle bundle, int size, double noisePercent) throws IOException {
        try (DiffusionDenoiser d = DenoiserRegistry.diffusion(bundle)) {
            return SelfCheck.run(d, size, noisePercent);
        }
    }
}
