package org.diffdenoise.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** A small tmpfs mounted on a folder, for tests of a real full disk; the test is skipped where none can be mounted (not root). */
public final class Tmpfs implements AutoCloseable {
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (mount's notation, e.g. "1m") on {@code dir}, creating it; aborts the test if it cannot. */
    public static Tmpfs mount(Path dir, String size) throws Exception {
        Files.createDirectories(dir);
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()) == 0,
                "cannot mount a tmpfs here (needs root)");
        return new Tmpfs(dir);
    }

    @Override
    public void close() throws Exception {
        run("umount", "-l", dir.toString());
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
