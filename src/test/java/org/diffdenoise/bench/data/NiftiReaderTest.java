package org.diffdenoise.bench.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class NiftiReaderTest {
    /** ch2.nii.gz from Debian mricron-data: 181x217x181 uint8; voxel (90,108,90) = 33 (read independently with Python). */
    @Test
    void readsColin27Template() throws Exception {
        Path f = BenchmarkData.MRICRON.resolve("ch2.nii.gz");
        assertTrue(Files.exists(f), f + " missing: install mricron-data (scripts/setup.sh)");
        NiftiReader.Volume v = NiftiReader.read(f);
        assertEquals(181, v.nx());
        assertEquals(217, v.ny());
        assertEquals(181, v.nz());
        assertEquals(33f, v.data()[90 + 108 * 181 + 90 * 181 * 217]);
        assertEquals(33f, v.axial(90).get(90, 217 - 1 - 108));
    }

    @Test
    void rejectsNonNifti(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("x.nii");
        Files.write(f, new byte[400]);
        var e = assertThrows(java.io.IOException.class, () -> NiftiReader.read(f));
        assertTrue(e.getMessage().contains("x.nii"));
    }
}
