package org.diffdenoise.node;

import org.diffdenoise.api.FileTrees;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The node's crash-safe queue: one folder per series, whose stage is the folder it sits in. A stage change is one
 * atomic rename, synced, so after a crash every series is in exactly one stage and resumes from there.
 *
 * <pre>
 * WORK/incoming/            instances being received (temporary; emptied at start)
 * WORK/received/UID/        a series still arriving: instances/SOPUID.dcm, each synced before its C-STORE response
 * WORK/queued/T-UID/        complete (idle): waiting for or in denoising (work/ holds partial output)
 * WORK/denoised/T-UID/      outbox/ holds what is sent; sent@AE@host_port marks each destination that stored it
 * WORK/forwarded/T-UID/     done: times.properties and instances.txt (the images are deleted)
 * WORK/failed/T-UID/        could not be denoised (reason.txt) and not forwarded
 * </pre>
 * T is the time the series was queued (milliseconds), so name order is queue order.
 */
public final class SeriesQueue {
    static final String INCOMING = "incoming";
    static final String RECEIVED = "received";
    static final String QUEUED = "queued";
    static final String DENOISED = "denoised";
    static final String FORWARDED = "forwarded";
    static final String FAILED = "failed";
    /** Stage folders in pipeline order. */
    static final List<String> STAGES = List.of(RECEIVED, QUEUED, DENOISED, FORWARDED, FAILED);
    static final String INSTANCES = "instances";
    static final String OUTBOX = "outbox";
    static final String WORK = "work";
    static final String TIMES = "times.properties";
    static final String REASON = "reason.txt";
    static final String INSTANCE_LIST = "instances.txt";
    static final String SENT_PREFIX = "sent@";
    /** In a received series: the SOP Instance UIDs refused for lack of space that it waits for, one per line. */
    static final String AWAITED = "refused.txt";
    /** Property of times.properties: instances refused for lack of space and not sent again in time (the batch is incomplete). */
    static final String NOT_RESENT = "refusedNotResent";
    /** A series with refused instances waits this many idle periods for the sender to send them again. */
    static final int AWAIT_IDLE_PERIODS = 60;

    private final Path root;
    /** Last arrival per received series key (in memory: after a restart each series gets a fresh idle period). */
    private final Map<String, Long> lastArrival = new HashMap<>();
    private final Map<String, Integer> arrivals = new HashMap<>();
    /** Per received series key: instances refused for lack of space that it waits for (file names, as in instances/). */
    private final Map<String, Set<String>> awaited = new HashMap<>();

    /** Opens (creating as needed) the queue in {@code root}. */
    public SeriesQueue(Path root) throws IOException {
        this.root = root;
        for (String s : STAGES) DurableFiles.createFolder(root.resolve(s));
        DurableFiles.createFolder(root.resolve(INCOMING));
    }

    Path root() {
        return root;
    }

    Path incoming() {
        return root.resolve(INCOMING);
    }

    Path stage(String stage) {
        return root.resolve(stage);
    }

    /**
     * After a start: drops partly received instances and partial denoising output; series still arriving get a
     * fresh idle period. Returns the queued series (to denoise), oldest first.
     */
    synchronized List<Path> recover() throws IOException {
        FileTrees.delete(incoming());
        DurableFiles.createFolder(incoming());
        long now = System.nanoTime();
        for (Path s : DurableFiles.folders(stage(RECEIVED))) {
            lastArrival.put(s.getFileName().toString(), now);
            arrivals.put(s.getFileName().toString(), DurableFiles.files(s.resolve(INSTANCES)).size());
            Set<String> names = readAwaited(s);
            if (!names.isEmpty()) awaited.put(s.getFileName().toString(), names);
        }
        // a crash between the move to forwarded/ and the deletion of the images leaves them behind
        for (Path s : DurableFiles.folders(stage(FORWARDED))) {
            FileTrees.delete(s.resolve(OUTBOX));
            FileTrees.delete(s.resolve(INSTANCES));
        }
        List<Path> queued = new ArrayList<>();
        for (Path s : DurableFiles.folders(stage(QUEUED))) {
            FileTrees.delete(s.resolve(WORK));
            queued.add(s);
        }
        return queued;
    }

    /** Takes a received instance (its file already synced) into its series; durable when this returns. */
    synchronized void store(ReceivedInstance instance) throws IOException {
        String key = key(instance.seriesInstanceUid());
        Path series = stage(RECEIVED).resolve(key);
        boolean first = !Files.isDirectory(series);
        Path instances = DurableFiles.createFolder(series.resolve(INSTANCES));
        if (first) {
            Properties p = new Properties();
            p.setProperty("series", instance.seriesInstanceUid());
            p.setProperty("study", instance.studyInstanceUid());
            p.setProperty("callingAe", instance.callingAeTitle());
            p.setProperty("firstReceived", now());
            DurableFiles.write(series.resolve(TIMES), toText(p));
        }
        Files.move(instance.file(), instances.resolve(key(instance.sopInstanceUid()) + ".dcm"),
                java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.sync(instances);
        lastArrival.put(key, System.nanoTime());
        arrivals.merge(key, 1, Integer::sum);
        String name = key(instance.sopInstanceUid()) + ".dcm";
        for (Map.Entry<String, Set<String>> e : awaited.entrySet())
            if (e.getValue().remove(name)) writeAwaited(e.getKey());
        awaited.values().removeIf(Set::isEmpty);
    }

    /**
     * Instances refused for lack of space in an association that stored instances of {@code seriesUids}: each of those
     * series still receiving waits for them (persisted, so a restart keeps waiting), up to {@link #AWAIT_IDLE_PERIODS}
     * idle periods after its last arrival, so that the sender's resend completes the series before it is denoised.
     *
     * @return the series keys now waiting
     */
    synchronized List<String> refused(Set<String> seriesUids, Set<String> sopUids) throws IOException {
        List<String> waiting = new ArrayList<>();
        for (String uid : seriesUids) {
            String key = key(uid);
            Path series = stage(RECEIVED).resolve(key);
            if (!lastArrival.containsKey(key) || !Files.isDirectory(series)) continue;
            Set<String> names = awaited.computeIfAbsent(key, k -> new HashSet<>());
            for (String sop : sopUids) {
                String name = key(sop) + ".dcm";
                if (!Files.exists(series.resolve(INSTANCES).resolve(name))) names.add(name);
            }
            writeAwaited(key);
            if (names.isEmpty()) awaited.remove(key);
            else waiting.add(key);
        }
        return waiting;
    }

    private void writeAwaited(String key) throws IOException {
        Path list = stage(RECEIVED).resolve(key).resolve(AWAITED);
        Set<String> names = awaited.getOrDefault(key, Set.of());
        if (names.isEmpty()) Files.deleteIfExists(list);
        else DurableFiles.write(list, String.join("\n", new TreeSet<>(names)) + "\n");
    }

    /** The instances (file names) a received series waits for; empty when none. */
    static Set<String> readAwaited(Path series) throws IOException {
        Path list = series.resolve(AWAITED);
        Set<String> names = new HashSet<>();
        if (Files.isRegularFile(list))
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) if (!line.isBlank()) names.add(line);
        return names;
    }

    /** Series whose last instance arrived at least {@code idleNanos} ago move to queued/; returns them. */
    synchronized List<Path> queueIdle(long idleNanos, NodeLog log) throws IOException {
        List<Path> queued = new ArrayList<>();
        long now = System.nanoTime();
        for (String key : new ArrayList<>(lastArrival.keySet())) {
            long last = lastArrival.get(key);
            if (now - last < idleNanos) continue;
            Set<String> missing = awaited.getOrDefault(key, Set.of());
            if (!missing.isEmpty() && now - last < AWAIT_IDLE_PERIODS * idleNanos) continue;
            awaited.remove(key);
            lastArrival.remove(key);
            int count = arrivals.getOrDefault(key, 0);
            arrivals.remove(key);
            Path from = stage(RECEIVED).resolve(key);
            int dropped = dropAlreadyReceived(key, from.resolve(INSTANCES));
            Properties times = readTimes(from);
            times.setProperty("lastReceived", Instant.now().minusNanos(now - last).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
            times.setProperty("queued", now());
            int instances = DurableFiles.files(from.resolve(INSTANCES)).size();
            times.setProperty("instances", Integer.toString(instances));
            if (!missing.isEmpty()) times.setProperty(NOT_RESENT, Integer.toString(missing.size()));
            String series = times.getProperty("series", key);
            if (instances == 0) {
                FileTrees.delete(from);
                DurableFiles.sync(stage(RECEIVED));
                log.info("series " + NodeLog.escape(series) + ": " + count + " instance(s) received again after the series"
                        + " was queued; already taken, ignored");
                continue;
            }
            DurableFiles.write(from.resolve(TIMES), toText(times));
            Path to = stage(QUEUED).resolve(System.currentTimeMillis() + "-" + key);
            DurableFiles.move(from, to);
            log.info("series " + NodeLog.escape(series) + " queued: " + instances + " instance(s) from "
                    + NodeLog.escape(times.getProperty("callingAe")) + ", received from " + times.getProperty("firstReceived")
                    + (dropped > 0 ? " (" + dropped + " instance(s) received earlier dropped)" : "")
                    + (missing.isEmpty() ? "" : "; " + missing.size() + " instance(s) refused for lack of space were not sent again"));
            queued.add(to);
        }
        return queued;
    }

    /**
     * Removes instances that an earlier batch of the same series already holds (a sender that resends a whole
     * series after an error): each SOP instance is processed once.
     */
    private int dropAlreadyReceived(String key, Path instances) throws IOException {
        Set<String> earlier = new HashSet<>();
        for (String stage : List.of(QUEUED, DENOISED, FORWARDED, FAILED)) {
            for (Path s : DurableFiles.folders(stage(stage))) {
                if (!s.getFileName().toString().endsWith("-" + key)) continue;
                for (Path f : DurableFiles.files(s.resolve(INSTANCES))) earlier.add(f.getFileName().toString());
                Path list = s.resolve(INSTANCE_LIST);
                if (Files.isRegularFile(list)) earlier.addAll(Files.readAllLines(list, StandardCharsets.UTF_8));
            }
        }
        int dropped = 0;
        if (earlier.isEmpty()) return 0;
        for (Path f : DurableFiles.files(instances)) {
            if (earlier.contains(f.getFileName().toString())) {
                Files.delete(f);
                dropped++;
            }
        }
        if (dropped > 0) DurableFiles.sync(instances);
        return dropped;
    }

    /** Series received and not yet queued. */
    synchronized int receiving() {
        return lastArrival.size();
    }

    static Properties readTimes(Path series) throws IOException {
        Properties p = new Properties();
        Path f = series.resolve(TIMES);
        if (Files.isRegularFile(f)) p.load(new StringReader(Files.readString(f, StandardCharsets.UTF_8)));
        return p;
    }

    static void writeTimes(Path series, Properties p) throws IOException {
        DurableFiles.write(series.resolve(TIMES), toText(p));
    }

    private static String toText(Properties p) {
        StringWriter w = new StringWriter();
        try {
            p.store(w, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }

    /** The current time, to the millisecond, as written in times.properties. */
    static String now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    }

    /** A UID as a file name: UIDs are digits and dots; anything else (a malformed UID) becomes '_'. */
    static String key(String uid) {
        String k = uid.trim().replaceAll("[^0-9A-Za-z.]", "_");
        if (k.isEmpty() || k.startsWith(".")) k = "_" + k;
        return k.length() > 128 ? k.substring(0, 128) : k;
    }
}
