package org.diffdenoise.train;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.model.BundleExporter;
import org.diffdenoise.model.BundleMetadata;
import org.diffdenoise.model.UNetConfig;

/**
 * Trains the denoising U-Net and exports model bundles. Options: --out DIR (checkpoints and exports), --minutes N or
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
            boolean attention, double realisticShare, String versionPrefix) {
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
        run(new Options(out, deadline, steps, batch, patch, seed, lr, resume, exportTo, data, checkpointMinutes,
                exportMinutes, logEvery, commandLine(spec.commandLine().getParseResult().originalArgs()),
                loss, initFrom, lrSchedule.equals("cosine"), warmup, decoderBlocks, attention, realisticShare, versionPrefix));
        return 0;
    }

    /** Runs training to the budget, checkpointing and exporting along the way; returns the final bundle metadata. */
    public static BundleMetadata run(Options o) throws IOException, InterruptedException {
        Instant start = Instant.now();
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        UNetConfig config = UNetConfig.standard().withDecoderBlocks(o.decoderBlocks()).withAttention(o.attention());
        TrainingSources sources = TrainingSources.load(o.data());
        log("training sources: " + String.join(", ", sources.describe()));
        PatchSampler sampler = new PatchSampler(sources, schedule, o.seed(), o.realisticShare());
        Path ckpt = o.out().resolve("checkpoint");
        Path bundle = o.out().resolve("bundle");
        Files.createDirectories(o.out());
        ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "batch-prefetch");
            t.setDaemon(true);
            return t;
        });
        try (Trainer trainer = new Trainer(config, o.seed(), o.loss())) {
            log(String.format(Locale.ROOT, "U-Net %s x%d decoder blocks%s, %d parameters; batch %d x %d^2, lr %.1e, seed %d",
                    java.util.Arrays.toString(config.channels()), config.decoderBlocks(), config.attention() ? ", attention" : "",
                    trainer.network().parameterCount(), o.batch(), o.patch(),
                    o.lr(), o.seed()));
            double trainedBefore = 0, running = Double.NaN;
            if (o.resume() && Files.exists(ckpt.resolve("state.json"))) {
                Trainer.CheckpointState s = trainer.restoreCheckpoint(ckpt);
                if (s.seed() != o.seed() || s.batch() != o.batch() || s.patch() != o.patch())
                    log("note: resuming with different seed/batch/patch than the checkpoint (" + s + ")");
                trainedBefore = s.trainedSeconds();
                running = s.runningLoss();
                log("resumed from " + ckpt + " at step " + s.step());
            } else {
                if (o.resume()) log("no checkpoint in " + ckpt + ", starting fresh");
                trainer.initialize();
                if (o.initFrom() != null) {
                    List<String> fresh = trainer.loadWeights(WeightsFile.load(o.initFrom(), config));
                    log("warm start from " + o.initFrom() + (fresh.isEmpty() ? "" : "; " + fresh.size()
                            + " new parameters keep their initial values (new blocks start as the identity)"));
                }
            }
            TrainingBatch validation = new PatchSampler(sources, schedule, o.seed() + 7919, o.realisticShare()).batch(0, 32, o.patch());
            long startStep = trainer.step();
            // the cosine schedule runs over this invocation's budget (time or steps, whichever ends first)
            Instant runStart = Instant.now();
            long lastCkpt = System.nanoTime(), lastExport = System.nanoTime(), lastLog = System.nanoTime();
            long logSteps = 0;
            Future<TrainingBatch> next = prefetch.submit(() -> sampler.batch(startStep, o.batch(), o.patch()));
            while (trainer.step() < o.steps() && (o.deadline() == null || Instant.now().isBefore(o.deadline()))) {
                TrainingBatch b = next.get();
                long s = trainer.step();
                next = prefetch.submit(() -> sampler.batch(s + 1, o.batch(), o.patch()));
                float lr = Trainer.learningRate(s - startStep, o.lr(), o.warmup());
                if (o.cosine()) {
                    double f = 0;
                    if (o.deadline() != null)
                        f = Math.max(f, Duration.between(runStart, Instant.now()).toMillis()
                                / (double) Math.max(1, Duration.between(runStart, o.deadline()).toMillis()));
                    if (o.steps() != Long.MAX_VALUE)
                        f = Math.max(f, (s - startStep) / (double) Math.max(1, o.steps() - startStep));
                    lr *= Trainer.cosineDecay(f);
                }
                float loss = trainer.trainStep(b, lr, Trainer.emaDecay(s, 0.999f));
                if (!Float.isFinite(loss)) throw new IllegalStateException("loss is " + loss + " at step " + s);
                running = Double.isNaN(running) ? loss : 0.98 * running + 0.02 * loss;
                logSteps++;
                if (trainer.step() % o.logEvery() == 0) {
                    double dt = (System.nanoTime() - lastLog) / 1e9;
                    double sps = logSteps / dt;
                    lastLog = System.nanoTime();
                    logSteps = 0;
                    String eta = "";
                    if (o.deadline() != null)
                        eta = " eta " + fmt(Duration.between(Instant.now(), o.deadline()));
                    if (o.steps() != Long.MAX_VALUE)
                        eta += String.format(Locale.ROOT, " (steps left %d)", o.steps() - trainer.step());
                    log(String.format(Locale.ROOT, "step %d loss %.6f (running %.6f, rmse %.4f) %.2f steps/s elapsed %s%s",
                            trainer.step(), loss, running, Math.sqrt(running), sps, fmt(Duration.between(start, Instant.now())), eta));
                }
                double trained = trainedBefore + Duration.between(start, Instant.now()).toMillis() / 1000.0;
                if ((System.nanoTime() - lastCkpt) / 60e9 >= o.checkpointMinutes()) {
                    trainer.saveCheckpoint(ckpt, new Trainer.CheckpointState(trainer.step(), o.seed(), o.batch(), o.patch(), trained, running));
                    log("checkpoint at step " + trainer.step() + " -> " + ckpt);
                    lastCkpt = System.nanoTime();
                }
                if ((System.nanoTime() - lastExport) / 60e9 >= o.exportMinutes()) {
                    try {
                        export(o, trainer, config, schedule, sources, bundle, trained, running, validation);
                    } catch (IOException | RuntimeException e) {
                        // a failed periodic export must not end a long run; the next one or the final one retries
                        log("periodic export failed: " + e);
                    }
                    lastExport = System.nanoTime();
                }
            }
            next.cancel(true);
            double trained = trainedBefore + Duration.between(start, Instant.now()).toMillis() / 1000.0;
            trainer.saveCheckpoint(ckpt, new Trainer.CheckpointState(trainer.step(), o.seed(), o.batch(), o.patch(), trained, running));
            log("final checkpoint at step " + trainer.step());
            BundleMetadata meta = export(o, trainer, config, schedule, sources, bundle, trained, running, validation);
            log("done: " + trainer.step() + " steps, final bundle " + bundle.toAbsolutePath()
                    + (o.exportTo() != null ? " and " + o.exportTo().toAbsolutePath() : ""));
            return meta;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("batch preparation failed: " + e.getCause(), e.getCause());
        } finally {
            prefetch.shutdownNow();
        }
    }

    private static BundleMetadata export(Options o, Trainer trainer, UNetConfig config, NoiseSchedule schedule,
            TrainingSources sources, Path bundle, double trainedSeconds, double runningLoss, TrainingBatch validation)
            throws IOException {
        float val = trainer.evaluate(validation);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("command", o.commandLine());
        training.put("dataSources", sourcesDescription(sources));
        training.put("steps", trainer.step());
        training.put("batch", o.batch());
        training.put("patch", o.patch());
        training.put("minutes", Math.round(trainedSeconds / 6.0) / 10.0);
        training.put("machine", machine());
        training.put("finalLoss", runningLoss);
        training.put("validationLoss", val);
        training.put("lossDefinition", "mean squared error of x0 in normalized units (running mean, decay 0.98)");
        training.put("objective", o.loss() == Trainer.LossWeighting.X0 ? "x0 MSE"
                : "mean over patches of log(x0 MSE of the patch + 1e-7)");
        training.put("optimizer", String.format(Locale.ROOT, "Adam lr %.1e, %d-step linear warmup%s, EMA decay 0.999",
                o.lr(), o.warmup(), o.cosine() ? ", cosine decay to 5% at the end of the budget" : ""));
        if (o.initFrom() != null) training.put("warmStart", o.initFrom().getFileName().toString());
        training.put("seed", o.seed());
        training.put("weights", "exponential moving average");
        Map<String, float[]> w = trainer.weights(true);
        if (o.realisticShare() > 0)
            training.put("realisticNoise", String.format(Locale.ROOT, "%.0f%% of patches with simulator noise (CT projection-domain "
                    + "FBP with ramp/Shepp-Logan/Hann/soft-tissue kernels, MR k-space zero-fill/g-factor/multi-coil RSS, X-ray "
                    + "detector PSF), conditioned on the true sigma map", 100 * o.realisticShare()));
        String version = o.versionPrefix() + "." + trainer.step();
        BundleMetadata meta = BundleExporter.export(bundle, config, schedule, w, version, training);
        log(String.format(Locale.ROOT, "exported EMA bundle at step %d -> %s (validation loss of raw weights %.6f, sha256 %s)",
                trainer.step(), bundle, val, meta.sha256()));
        if (o.exportTo() != null) {
            BundleExporter.export(o.exportTo(), config, schedule, w, version, training);
            log("exported to " + o.exportTo());
        }
        return meta;
    }

    /** "train ARGS" for the metadata; run as a subcommand (diffdenoise train ...) the original arguments hold "train" already. */
    static String commandLine(List<String> originalArgs) {
        List<String> args = !originalArgs.isEmpty() && originalArgs.get(0).equals("train") ? originalArgs.subList(1, originalArgs.size()) : originalArgs;
        return "train " + String.join(" ", args);
    }

    static List<String> sourcesDescription(TrainingSources sources) {
        List<String> out = new ArrayList<>();
        out.add("synthetic phantoms (MR-like and X-ray-like, org.diffdenoise.image.Phantoms), 35% of patches");
        for (String s : sources.describe()) out.add("external-data/" + s);
        return out;
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException ignored) {
            // not Linux: keep the generic description
        }
        return Runtime.getRuntime().availableProcessors() + "-core " + cpu + ", TensorFlow Java 1.1.0 CPU";
    }

    private static String fmt(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    private static void log(String msg) {
        System.out.println(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " " + msg);
        System.out.flush();
    }
}
