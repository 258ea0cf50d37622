package org.diffdenoise.node;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The node's log: one line per event on the console and in {@code node.log}; errors also in {@code errors.log}
 * (read by {@code serve --status}). Text from the network is escaped so it cannot forge lines or terminal codes.
 */
public final class NodeLog {
    /** The log file in the work folder. */
    public static final String LOG_FILE = "node.log";
    /** The error log in the work folder. */
    public static final String ERROR_FILE = "errors.log";

    private final PrintStream console;
    private final Path workDir;

    /** @param console where lines are printed too (may be null) */
    public NodeLog(PrintStream console, Path workDir) {
        this.console = console;
        this.workDir = workDir;
    }

    /** Logs one event. */
    public synchronized void info(String message) {
        String line = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + message;
        if (console != null) console.println(line);
        append(LOG_FILE, line);
    }

    /** Logs an error (also kept for the status command). */
    public synchronized void error(String message) {
        String line = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " ERROR " + message;
        if (console != null) console.println(line);
        append(LOG_FILE, line);
        append(ERROR_FILE, line);
    }

    private void append(String name, String line) {
        try {
            Files.writeString(workDir.resolve(name), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            if (console != null) console.println("(cannot write " + workDir.resolve(name) + ": " + e.getMessage() + ")");
        }
    }

    /** Control characters (and backslash) as {@code \xNN}, so one log entry stays one printable line. */
    public static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\\') b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }
}
