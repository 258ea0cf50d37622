package org.diffdenoise.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A temporary folder marked with the process that made it (host, boot, process id and start time in a small marker
 * file), so that a later run can remove what a killed run left behind without touching the folder of a run that is
 * still going, here or on another host sharing the disk.
 */
public final class OwnedTempFolder {
    /** The marker file inside each owned folder. */
    public static final String MARKER = ".diffdenoise-owner";
    /** Unmarked folders of ours (older versions, or a kill before the marker was written) are removed after this. */
    static final Duration UNMARKED_AGE = Duration.ofHours(24);
    /** An empty unmarked folder of ours is a kill between mkdir and marker; removed once this old. */
    static final Duration EMPTY_UNMARKED_AGE = Duration.ofSeconds(2);

    private OwnedTempFolder() {
    }

    /** Creates {@code parent/name} (parent must exist) with this process's marker inside. */
    public static Path create(Path parent, String name) throws IOException {
        Path dir = Files.createDirectory(parent.resolve(name));
        mark(dir);
        return dir;
    }

    /** Prefix of every folder this project makes in the system's temporary folder. */
    public static final String SYSTEM_TEMP_PREFIX = "diffdenoise-";
    private static final java.util.concurrent.atomic.AtomicBoolean SYSTEM_TEMP_CLEANED = new java.util.concurrent.atomic.AtomicBoolean();
    /** What {@link Files#createTempDirectory} makes of such a prefix: the prefix and a random number. */
    private static final java.util.regex.Pattern SYSTEM_TEMP_NAME = java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(SYSTEM_TEMP_PREFIX) + "[a-z]+[0-9]+");

    /**
     * Creates a fresh folder {@code prefix<random digits>} in the system's temporary folder (readable by this user
     * only); the first call in a process removes the ones that ended runs left there ({@link #removeStaleInSystemTemp}).
     *
     * @param prefix {@value #SYSTEM_TEMP_PREFIX} and lower-case letters, e.g. "diffdenoise-model"
     */
    public static Path createInSystemTemp(String prefix) throws IOException {
        if (!SYSTEM_TEMP_NAME.matcher(prefix + "0").matches())
            throw new IllegalArgumentException("temporary folder prefix must be " + SYSTEM_TEMP_PREFIX + "<letters>: " + prefix);
        if (!SYSTEM_TEMP_CLEANED.getAndSet(true)) removeStaleInSystemTemp();  // once per process: one per decoded file is too often
        Path dir = Files.createTempDirectory(prefix);
        mark(dir);
        return dir;
    }

    /**
     * Removes from the system's temporary folder the folders of ended runs named as {@link #createInSystemTemp}
     * names them (a user's own {@code diffdenoise-results} is never touched).
     */
    public static List<Path> removeStaleInSystemTemp() {
        return removeStale(Path.of(System.getProperty("java.io.tmpdir")), n -> SYSTEM_TEMP_NAME.matcher(n).matches());
    }

    /** Removes the marker (before the folder is moved into place as a finished result). */
    public static void unmark(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(MARKER));
    }

    /**
     * Removes the folders directly in {@code parent} whose names {@code ours} accepts and whose owner has ended
     * (best effort: what cannot be removed stays).
     *
     * @return the folders removed
     */
    public static List<Path> removeStale(Path parent, Predicate<String> ours) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(parent)) return removed;
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!ours.test(p.getFileName().toString()) || Files.isSymbolicLink(p) || !Files.isDirectory(p)) continue;
                if (ownerEnded(p)) {
                    FileTrees.deleteQuietly(p);
                    if (!Files.exists(p)) removed.add(p);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: a folder that cannot be listed keeps its leftovers
        }
        return removed;
    }

    /** True when the process that made {@code dir} has ended (false while it runs, or when that cannot be known). */
    public static boolean ownerEnded(Path dir) {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker)) return unmarkedEnded(dir);
        Map<String, String> m = new HashMap<>();
        try {
            for (String line : Files.readAllLines(marker, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        } catch (IOException e) {
            return false;
        }
        // killed while writing the marker (its last line, start=, is missing): as good as unmarked
        if (!m.containsKey("start")) return unmarkedEnded(dir);
        if (!host().equals(m.get("host"))) return false;  // another machine or container: its processes are not ours to see
        if (!bootId().equals(m.getOrDefault("boot", ""))) return true;  // rebooted since: every process of then has ended
        long pid;
        try {
            pid = Long.parseLong(m.getOrDefault("pid", ""));
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) return true;
        // the id may have been reused by a newer process
        String recorded = m.getOrDefault("start", "");
        Optional<Instant> start = p.get().info().startInstant();
        if (recorded.isEmpty() || start.isEmpty()) return false;
        try {
            return Math.abs(Duration.between(Instant.parse(recorded), start.get()).toMillis()) > 2000;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * A folder of ours without a complete marker: one holding nothing but (a part of) its marker is a kill between
     * creating the folder and marking it (a live run writes the marker within milliseconds), so nothing in it can be
     * lost and it is removed once {@link #EMPTY_UNMARKED_AGE} old; anything else waits {@link #UNMARKED_AGE}.
     */
    private static boolean unmarkedEnded(Path dir) {
        try {
            FileTime t = Files.getLastModifiedTime(dir);
            if (holdsOnlyMarker(dir)) return t.toInstant().isBefore(Instant.now().minus(EMPTY_UNMARKED_AGE));
            return t.toInstant().isBefore(Instant.now().minus(UNMARKED_AGE));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean holdsOnlyMarker(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> p.getFileName().toString().equals(MARKER));
        }
    }

    private static void mark(Path dir) throws IOException {
        ProcessHandle me = ProcessHandle.current();
        String text = "host=" + host() + "\nboot=" + bootId() + "\npid=" + me.pid() + "\nstart="
                + me.info().startInstant().map(Instant::toString).orElse("") + "\n";
        try {
            Files.writeString(dir.resolve(MARKER), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            FileTrees.deleteQuietly(dir);
            throw e;
        }
    }

    private static String host() {
        String h = firstLine(Path.of("/proc/sys/kernel/hostname"));
        if (h.isEmpty()) h = System.getenv().getOrDefault("HOSTNAME", System.getenv().getOrDefault("COMPUTERNAME", ""));
        return h.isEmpty() ? "localhost" : h.trim();
    }

    private static String bootId() {
        return firstLine(Path.of("/proc/sys/kernel/random/boot_id"));
    }

    private static String firstLine(Path p) {
        try {
            List<String> l = Files.readAllLines(p, StandardCharsets.UTF_8);
            return l.isEmpty() ? "" : l.get(0).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
