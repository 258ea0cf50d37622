package org.diffdenoise.dicom.pixelmed;

import org.diffdenoise.api.FileTrees;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.diffdenoise.api.OwnedTempFolder;
import org.diffdenoise.dicom.DicomException;

/**
 * Transfer syntaxes PixelMed cannot decode, decompressed by dcmtk's command-line tools when they are installed:
 * JPEG-LS (lossless and near-lossless) with {@code dcmdjpls}, JPEG Extended (12-bit lossy, common in older CT and
 * MR archives) with {@code dcmdjpeg}. The file is transcoded to Explicit VR Little Endian in a temporary folder,
 * read by PixelMed there and deleted; the input is only read. Without the tool the series is refused with a message
 * saying which package to install. {@code -Ddiffdenoise.dcmtk=/path/to/bin} points at another folder,
 * {@code -Ddiffdenoise.dcmtk=none} turns the fallback off.
 */
final class ExternalDecoder {
    /** Transfer syntax UID → dcmtk tool that decompresses it. */
    static final Map<String, String> TOOLS = Map.of(
            "1.2.840.10008.1.2.4.80", "dcmdjpls",   // JPEG-LS Lossless
            "1.2.840.10008.1.2.4.81", "dcmdjpls",   // JPEG-LS Near-Lossless (lossy)
            "1.2.840.10008.1.2.4.51", "dcmdjpeg");  // JPEG Extended (Process 2 & 4), 12-bit lossy
    /** Lossy ones: the decoded image gets Lossy Image Compression 01 with this method if the header lacks it. */
    static final Map<String, String> LOSSY_METHOD = Map.of(
            "1.2.840.10008.1.2.4.81", "ISO_14495_1",
            "1.2.840.10008.1.2.4.51", "ISO_10918_1");
    private static final long TIMEOUT_SECONDS = 300;

    private ExternalDecoder() {
    }

    /** The tool that decodes {@code transferSyntaxUid}, if it is installed; else null. */
    static Path tool(String transferSyntaxUid) {
        String name = TOOLS.get(transferSyntaxUid);
        if (name == null) return null;
        String dir = System.getProperty("diffdenoise.dcmtk", "");
        if (dir.equals("none")) return null;
        List<String> dirs = !dir.isEmpty() ? List.of(dir)
                : List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/usr/local/bin").split(File.pathSeparator));
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** What to install so that {@code transferSyntaxUid} can be read, or null when no tool would help. */
    static String hint(String transferSyntaxUid) {
        String name = TOOLS.get(transferSyntaxUid);
        return name == null ? null : "install dcmtk (its " + name + " decodes it)";
    }

    /**
     * Decompresses {@code file} into a new temporary file (Explicit VR Little Endian); the caller deletes its folder
     * ({@link #cleanUp}).
     */
    static Path decompress(Path file, String transferSyntaxUid) throws DicomException {
        Path tool = tool(transferSyntaxUid);
        if (tool == null) throw new DicomException(file, "no decoder for transfer syntax " + transferSyntaxUid + ": " + hint(transferSyntaxUid));
        Path dir;
        try {
            // marked, so a run killed while decoding leaves nothing for good: the next one removes it
            dir = OwnedTempFolder.createInSystemTemp("diffdenoise-decode");
        } catch (IOException e) {
            throw new DicomException(file, "cannot create a temporary folder to decompress into: " + e.getMessage(), e);
        }
        Path out = dir.resolve("decoded.dcm");
        try {
            Process p = new ProcessBuilder(tool.toString(), "+te", file.toString(), out.toString())
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] log = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new DicomException(file, tool.getFileName() + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(out)) {
                String msg = new String(log, StandardCharsets.UTF_8).trim().replaceAll("\\s+", " ");
                throw new DicomException(file, "cannot decode pixel data: " + tool.getFileName() + " failed (exit "
                        + p.exitValue() + ")" + (msg.isEmpty() ? "" : ": " + msg));
            }
            return out;
        } catch (IOException e) {
            cleanUp(out);
            throw new DicomException(file, "cannot run " + tool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cleanUp(out);
            throw new DicomException(file, "interrupted while decoding with " + tool.getFileName(), e);
        } catch (DicomException e) {
            cleanUp(out);
            throw e;
        }
    }

    /** Deletes a decompressed file and its temporary folder. */
    static void cleanUp(Path decoded) {
        FileTrees.deleteQuietly(decoded.getParent());
    }
}
