package org.diffdenoise.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The queue as found on disk: series per stage, destinations still owed, the last errors. Read without a running
 * node ({@code diffdenoise serve --status}).
 *
 * @param stages     number of series in each stage folder, in pipeline order
 * @param owed       for each series waiting to be forwarded, the destinations that have not yet stored it
 * @param awaiting   for each series still receiving that waits for instances refused for lack of space, how many
 * @param lastErrors the newest lines of {@code errors.log}, oldest first
 */
public record QueueStatus(Map<String, Integer> stages, Map<String, List<String>> owed, Map<String, Integer> awaiting,
                          List<String> lastErrors) {
    /** Error lines shown. */
    public static final int ERRORS_SHOWN = 10;

    /** Reads the state of {@code workDir}. */
    public static QueueStatus read(Path workDir) throws IOException {
        if (!Files.isDirectory(workDir)) throw new IOException("work folder does not exist: " + workDir);
        Map<String, Integer> stages = new LinkedHashMap<>();
        for (String stage : SeriesQueue.STAGES) stages.put(stage, DurableFiles.folders(workDir.resolve(stage)).size());
        Map<String, List<String>> owed = new LinkedHashMap<>();
        for (Path series : DurableFiles.folders(workDir.resolve(SeriesQueue.DENOISED))) {
            List<String> sent = new ArrayList<>();
            try (var s = Files.list(series)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(SeriesQueue.SENT_PREFIX)).forEach(sent::add);
            }
            owed.put(series.getFileName().toString(), sent);
        }
        Map<String, Integer> awaiting = new LinkedHashMap<>();
        for (Path series : DurableFiles.folders(workDir.resolve(SeriesQueue.RECEIVED))) {
            int n = SeriesQueue.readAwaited(series).size();
            if (n > 0) awaiting.put(series.getFileName().toString(), n);
        }
        List<String> errors = new ArrayList<>();
        Path log = workDir.resolve(NodeLog.ERROR_FILE);
        if (Files.isRegularFile(log)) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            errors.addAll(lines.subList(Math.max(0, lines.size() - ERRORS_SHOWN), lines.size()));
        }
        return new QueueStatus(stages, owed, awaiting, errors);
    }

    /** Series received but not yet forwarded (nor given up on). */
    public int queueLength() {
        return stages.getOrDefault(SeriesQueue.RECEIVED, 0) + stages.getOrDefault(SeriesQueue.QUEUED, 0)
                + stages.getOrDefault(SeriesQueue.DENOISED, 0);
    }

    /** A few lines for the terminal. */
    public String format() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "queue length: %d series not yet forwarded%n", queueLength()));
        stages.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-10s %d%n", k, v)));
        owed.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  waiting to be sent: %s (already stored at: %s)%n",
                k, v.isEmpty() ? "none" : String.join(", ", v).replace(SeriesQueue.SENT_PREFIX, ""))));
        awaiting.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  receiving: %s waits for %d instance(s) refused for lack of"
                + " space, to be sent again%n", k, v)));
        b.append(lastErrors.isEmpty() ? "no errors logged\n" : "last errors:\n");
        for (String e : lastErrors) b.append("  ").append(e).append('\n');
        return b.toString();
    }
}
