package org.diffdenoise.cli;

import org.diffdenoise.node.pixelmed.PixelMedNetwork;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.node.AcceptedCaller;
import org.diffdenoise.node.DicomDestination;
import org.diffdenoise.node.DicomNetwork;
import org.diffdenoise.node.DicomNode;
import org.diffdenoise.node.NodeLog;
import org.diffdenoise.node.NodeSettings;
import org.diffdenoise.node.QueueStatus;
import org.diffdenoise.pipeline.BatchOptions;
import org.diffdenoise.pipeline.DenoiserRegistry;
import org.diffdenoise.pipeline.StudyDenoiser;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a DICOM node: receive series, denoise them, forward the derived series; or shows its queue. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run a DICOM node: a Storage SCP that denoises each received series and sends the derived series "
                + "on by C-STORE, through a crash-safe queue in WORK_DIR (see docs/node.md). Runs until stopped.%n"
                + "With --status: print the queue found in WORK_DIR and exit.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--work-dir", required = true, paramLabel = "WORK_DIR", description = "the node's queue (created if needed)")
    Path workDir;

    @Option(names = "--status", description = "print the queue length, what waits for which destination, and the last errors")
    boolean status;

    @Option(names = "--port", description = "TCP port of the Storage SCP (default ${DEFAULT-VALUE})")
    int port = 11112;

    @Option(names = "--ae-title", paramLabel = "AE", description = "this node's AE title (default ${DEFAULT-VALUE})")
    String aeTitle = "DIFFDENOISE";

    @Option(names = "--accept", paramLabel = "AE[@HOST]", split = ",",
            description = "calling AE titles accepted (optionally only from HOST); all others are rejected at association")
    List<String> accept = new ArrayList<>();

    @Option(names = "--forward", paramLabel = "AE@HOST:PORT", description = "destination of the derived series (repeatable)")
    List<String> forward = new ArrayList<>();

    @Option(names = "--idle", paramLabel = "SECONDS", description = "a series is complete when nothing arrived for it for this long (default ${DEFAULT-VALUE})")
    double idleSeconds = NodeSettings.DEFAULT_IDLE.toMillis() / 1000.0;

    @Option(names = "--denoisers", description = "series denoised at the same time, each with its own model (default ${DEFAULT-VALUE})")
    int denoisers = 1;

    @Option(names = "--forward-original", description = "also forward the received instances")
    boolean forwardOriginal;

    @Option(names = "--forward-unprocessed", description = "forward a series that cannot be denoised unchanged (it is always logged)")
    boolean forwardUnprocessed;

    @Option(names = "--retry", paramLabel = "SECONDS", description = "first wait before retrying a destination that failed, or a derived series the work folder's disk could not take; doubles up to --retry-max (default ${DEFAULT-VALUE})")
    double retrySeconds = 2;

    @Option(names = "--retry-max", paramLabel = "SECONDS", description = "longest wait between retries (default ${DEFAULT-VALUE})")
    double retryMaxSeconds = 60;

    @Mixin
    DenoiserOptions denoiser = new DenoiserOptions();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (status) {
            try {
                out.print(QueueStatus.read(workDir).format());
                out.flush();
                return DiffDenoiseCli.EXIT_OK;
            } catch (java.io.IOException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return DiffDenoiseCli.EXIT_USAGE;
            }
        }
        NodeSettings settings;
        try {
            List<AcceptedCaller> callers = accept.stream().map(AcceptedCaller::parse).toList();
            List<DicomDestination> destinations = forward.stream().map(DicomDestination::parse).toList();
            if (callers.isEmpty()) throw new IllegalArgumentException("--accept is needed: no calling AE title would be accepted");
            DenoiseSettings ds = denoiser.settings();
            settings = new NodeSettings(port, aeTitle, workDir, callers, destinations, seconds(idleSeconds), denoisers,
                    forwardOriginal, forwardUnprocessed, new BatchOptions(ds, false, null, true), seconds(retrySeconds),
                    seconds(retryMaxSeconds));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        java.nio.file.Files.createDirectories(workDir);
        NodeLog log = new NodeLog(System.out, workDir);
        DicomNode node = new DicomNode(settings, new PixelMedNetwork(log::info),
                () -> new StudyDenoiser(Dicom.backend(), () -> DenoiserRegistry.create(denoiser.method, denoiser.model)), log);
        try {
            node.start();
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("error: cannot start the node: " + e.getMessage());
            return DiffDenoiseCli.EXIT_USAGE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            node.close();
            stopped.countDown();
        }));
        stopped.await();
        return DiffDenoiseCli.EXIT_OK;
    }

    private static Duration seconds(double s) {
        if (!(s > 0)) throw new IllegalArgumentException("times must be positive: " + s);
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
