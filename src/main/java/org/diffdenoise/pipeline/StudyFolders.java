package org.diffdenoise.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

import org.diffdenoise.api.ErrorText;

/**
 * Where a run may write, decided by real paths (symbolic links resolved) before anything is created: the output
 * folder is not the input, not inside it and does not contain it; a report or preview file is outside the input and
 * replaces an existing file only when asked. The input is never modified, and a later scan never reads derived
 * series as input.
 */
public final class StudyFolders {
    private StudyFolders() {
    }

    /**
     * The real path {@code p} has or would have once created: its nearest existing ancestor with every link
     * resolved, followed by the names that do not exist yet.
     */
    public static Path realPath(Path p) throws IOException {
        Path abs = p.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            if (Files.isSymbolicLink(existing))
                throw new IOException(p + ": " + existing + " is a symbolic link to something that does not exist");
            if (existing.getFileName() != null) missing.push(existing.getFileName());
            existing = existing.getParent();
        }
        Path real = existing == null ? abs.getRoot() : existing.toRealPath();
        while (!missing.isEmpty()) real = real.resolve(missing.pop());
        return real.normalize();
    }

    /** {@code p} (made absolute) or its nearest ancestor that exists; null when none does. */
    static Path nearestExisting(Path p) {
        Path at = p.toAbsolutePath();
        while (at != null && !Files.exists(at)) at = at.getParent();
        return at;
    }

    /** Refuses an output folder that is, holds or lies inside the input (the message says which). */
    public static void checkOutput(Path input, Path output) throws IOException {
        if (!Files.exists(input)) throw new IOException("input does not exist: " + input);
        Path in = realPath(input), out = realPath(output);
        if (Files.exists(output) && !Files.isDirectory(output))
            throw new IOException("output " + output + " is a file, not a folder");
        boolean inputIsFolder = Files.isDirectory(input);
        if (out.equals(in) || (inputIsFolder && out.startsWith(in)))
            throw new IOException("output folder " + output + " must not be inside the input folder " + input
                    + (out.equals(in) ? " (it is that folder)" : "") + sameVia(output, out)
                    + " (the input is never modified, and a later run would read the derived series as input)");
        if (in.startsWith(out))
            throw new IOException("output folder " + output + " must not contain the input folder " + input + sameVia(output, out)
                    + " (a later scan of the output would read the input again)");
    }

    /**
     * Refuses a report or preview file inside the input (or the input file itself), a folder, the output's own
     * name, or an existing file unless {@code overwrite}.
     *
     * @param what "--report" or "--preview", for the message
     */
    public static void checkExtraFile(Path input, Path output, Path file, String what, boolean overwrite) throws IOException {
        Path in = realPath(input), f = realPath(file);
        if (f.equals(in) || (Files.isDirectory(input) && f.startsWith(in)))
            throw new IOException(what + " " + file + " must not be inside the input " + input + sameVia(file, f)
                    + " (the input is never modified)");
        if (output != null && f.equals(realPath(output)))
            throw new IOException(what + " " + file + " is the output folder");
        if (Files.isDirectory(file)) throw new IOException(what + " " + file + " is a folder; give a file name");
        if (!overwrite && (Files.exists(file) || Files.isSymbolicLink(file)))
            throw new IOException(what + " " + file + " already exists (add --overwrite to replace it)");
    }

    /** Creates the output folder (and its parents); the message says why it cannot be created. */
    public static void createOutput(Path output) throws IOException {
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            String why = ErrorText.of(e);
            if (why.startsWith(output + ": ")) why = why.substring(output.toString().length() + 2);
            throw new IOException("cannot create the output folder " + output + ": " + why, e);
        }
        if (!Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(output))
            throw new IOException("cannot create the output folder " + output + ": not a folder");
    }

    private static String sameVia(Path given, Path real) {
        return given.toAbsolutePath().normalize().equals(real) ? "" : " (" + given + " is " + real + ")";
    }
}
