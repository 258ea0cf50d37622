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

import org.diffdenoise.diffusion.NoiseSchedule;
import org.diffdenoise.model.BundleExporter;
import org.diffdenoise.model.BundleMetadata;
import org.diffdenoise.model.UNetConfig;

/**
 * Trains the denoising U-Net and exports model bundles. Options: --out DIR (checkpoints and exports), --minutes N or
 * --until ISO-instant (wall-clock budget), --steps N, --batch N, --patch N, --seed N, --lr X, --resume,
 * --export-to DIR (also write the final and periodic bundles there), --data DIR (external-data folder),
 * --checkpoint-minutes N, --export-minutes N.
 */
public final class TrainCommand {

    /** Parsed options. */
    public record Options(Path out, Instant deadline, long steps, int batch, int patch, long seed, float lr,
            boolean resume, Path exportTo, Path data, double checkpointMinutes, double exportMinutes, int logEvery,
            String commandLine) {
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        run(o);
    }

    static Options parse(String[] args) {
        Path out = Paths.get("train-out"), exportTo = null, data = Paths.get("external-data");
        Instant deadline = null;
        long steps = Long.MAX_VALUE, seed = 1;
        int batch = 16, patch = 64, logEvery = 25;
        float lr = 3e-4f;
        boolean resume = false;
        double ckptMin = 5, exportMin = 10;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--out" -> out = Paths.get(args[++i]);
                case "--minutes" -> deadline = Instant.now().plusSeconds((long) (Double.parseDouble(args[++i]) * 60));
                case "--until" -> deadline = Instant.parse(args[++i]);
                case "--steps" -> steps = Long.parseLong(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--patch" -> patch = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--lr" -> lr = Float.parseFloat(args[++i]);
                case "--resume" -> resume = true;
                case "--export-to" -> exportTo = Paths.get(args[++i]);
                case "--data" -> data = Paths.get(args[++i]);
                case "--checkpoint-minutes" -> ckptMin = Double.parseDouble(args[++i]);
                case "--export-minutes" -> exportMin = Double.parseDouble(args[++i]);
                case "--log-every" -> logEvery = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option: " + a);
            }
        }
        if (patch % 8 != 0) throw new IllegalArgumentException("--patch must be a multiple of 8: " + patch);
        if (deadline == null && steps == Long.MAX_VALUE)
            throw new IllegalArgumentException("give a budget: --minutes, --until or --steps");
        return new Options(out, deadline, steps, batch, patch, seed, lr, resume, exportTo, data, ckptMin, exportMin,
                logEvery, "train " + String.join(" ", args));
    }

    /** Runs training to the budget, checkpointing and exporting along the way; returns the final bundle metadata. */
    public static BundleMetadata run(Options o) throws IOException, InterruptedException {
        Instant start = Instant.now();
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        UNetConfig config = UNetConfig.standard();
        TrainingSources sources = TrainingSources.load(o.data());
        log("training sources: " + String.join(", ", sources.describe()));
        PatchSampler sampler = new PatchSampler(sources, schedule, o.seed());
        Path ckpt = o.out().resolve("checkpoint");
        Path bundle = o.out().resolve("bundle");
        Files.createDirectories(o.out());
        ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "batch-prefetch");
            t.setDaemon(true);
            return t;
        });
        try (Trainer trainer = new Trainer(config, o.seed())) {
            log(String.format(Locale.ROOT, "U-Net %s, %d parameters; batch %d x %d^2, lr %.1e, seed %d",
                    java.util.Arrays.toString(config.channels()), trainer.network().parameterCount(), o.batch(), o.patch(),
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
            }
            TrainingBatch validation = new PatchSampler(sources, schedule, o.seed() + 7919).batch(0, 32, o.patch());
            long startStep = trainer.step();
            long lastCkpt = System.nanoTime(), lastExport = System.nanoTime(), lastLog = System.nanoTime();
            long logSteps = 0;
            Future<TrainingBatch> next = prefetch.submit(() -> sampler.batch(startStep, o.batch(), o.patch()));
            while (trainer.step() < o.steps() && (o.deadline() == null || Instant.now().isBefore(o.deadline()))) {
                TrainingBatch b = next.get();
                long s = trainer.step();
                next = prefetch.submit(() -> sampler.batch(s + 1, o.batch(), o.patch()));
                float loss = trainer.trainStep(b, Trainer.learningRate(s, o.lr(), 200), Trainer.emaDecay(s, 0.999f));
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
        training.put("optimizer", String.format(Locale.ROOT, "Adam lr %.1e, 200-step linear warmup, EMA decay 0.999", o.lr()));
        training.put("seed", o.seed());
        training.put("weights", "exponential moving average");
        Map<String, float[]> w = trainer.weights(true);
        String version = "0.1." + trainer.step();
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
        out.add("synthetic phantoms (MR-like and X-ray-like, org.diffdenoise.train.Phantoms), 35% of patches");
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
