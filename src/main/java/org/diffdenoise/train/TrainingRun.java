package org.diffdenoise.train;

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

import org.diffdenoise.model.tf.BundleExporter;
import org.diffdenoise.model.BundleMetadata;
import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.model.UNetConfig;

/**
 * One training run of {@link TrainCommand}: loads the sources, starts fresh, warm or from the checkpoint, trains to the
 * budget with a prefetched batch stream, checkpoints and exports EMA bundles with their training metadata.
 */
public final class TrainingRun {

    private TrainingRun() {
    }

    /** Runs training to the budget, checkpointing and exporting along the way; returns the final bundle metadata. */
    public static BundleMetadata run(TrainCommand.Options o) throws IOException, InterruptedException {
        Instant start = Instant.now();
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        UNetConfig config = UNetConfig.standard().withDecoderBlocks(o.decoderBlocks()).withAttention(o.attention())
                .withTexture(o.texture());
        TrainingSources sources = TrainingSources.load(o.data());
        log("training sources: " + String.join(", ", sources.describe()));
        PatchSampler sampler = new PatchSampler(sources, schedule, o.seed(), o.realisticShare(), o.estimatedMap(), o.texture(), o.onlyFamily(),
                o.scannerImages());
        Path ckpt = o.out().resolve("checkpoint");
        Path bundle = o.out().resolve("bundle");
        Files.createDirectories(o.out());
        ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "batch-prefetch");
            t.setDaemon(true);
            return t;
        });
        try (Trainer trainer = new Trainer(config, o.seed(), o.loss(), o.textureOnly())) {
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
            TrainingBatch validation = new PatchSampler(sources, schedule, o.seed() + 7919, o.realisticShare(), o.estimatedMap(), o.texture(),
                    o.onlyFamily(), o.scannerImages()).batch(0, 32, o.patch());
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
                float lr = LearningRateSchedule.warmup(s - startStep, o.lr(), o.warmup());
                if (o.cosine()) {
                    double f = 0;
                    if (o.deadline() != null)
                        f = Math.max(f, Duration.between(runStart, Instant.now()).toMillis()
                                / (double) Math.max(1, Duration.between(runStart, o.deadline()).toMillis()));
                    if (o.steps() != Long.MAX_VALUE)
                        f = Math.max(f, (s - startStep) / (double) Math.max(1, o.steps() - startStep));
                    lr *= LearningRateSchedule.cosineDecay(f);
                }
                float loss = trainer.trainStep(b, lr, LearningRateSchedule.emaDecay(s, 0.999f));
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

    private static BundleMetadata export(TrainCommand.Options o, Trainer trainer, UNetConfig config, NoiseSchedule schedule,
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
                    + "detector PSF), conditioned on the %s", 100 * o.realisticShare(),
                    o.estimatedMap() ? "noise map the estimator gives at inference" : "true sigma map"));
        if (o.texture())
            training.put("texture", "noise texture input (NoiseTexture) measured on each patch as inference measures it; "
                    + "white-noise patches half the time the white descriptor of a given sigma; its weights at "
                    + TrainingGraph.TEXTURE_LR_FACTOR + "x the learning rate"
                    + (o.textureOnly() ? "; only the texture weights trained, the rest exactly the warm start's" : ""));
        if (o.onlyFamily() != null) training.put("family", "every patch with " + o.onlyFamily() + " noise");
        if (!o.scannerImages()) training.put("cleanImages", "phantoms and natural images only, no scanner DICOM");
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
