package org.diffdenoise.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import ij.ImagePlus;
import ij.plugin.DICOM;
import ij.process.FloatProcessor;

import org.diffdenoise.dicom.MosaicLayout;
import org.junit.jupiter.api.Test;

/**
 * A Siemens mosaic opened with ImageJ's own DICOM reader is one 384 x 384 image to ImageJ; *Denoise Current Image*
 * denoises its 35 slices of 64 x 64 each on its own (its layout read from the file it came from) and shows the
 * mosaic again. Measured with the median method, which works on each slice alone: every tile of the result is what
 * that tile denoised by itself gives, so no pixel of a neighbouring slice leaks across a tile's edge, and the empty
 * tile stays 0.
 */
class CurrentImageMosaicTest {

    private static final Path EPI = Path.of("external-data", "heudiconv-epi", "axasc35.dcm");

    @Test
    void aMosaicOpenedInImageJIsDenoisedSliceBySlice() throws Exception {
        assertTrue(Files.isRegularFile(EPI), EPI + " missing: run scripts/setup.sh");
        DICOM imp = new DICOM();
        imp.open(EPI.toAbsolutePath().toString());
        assertEquals(384, imp.getWidth());
        MosaicLayout m = DenoiseCurrentImageCommand.mosaicOf(imp);
        assertEquals(MosaicLayout.of(35, 384, 384), m);
        DenoiseParameters params = DenoiseParameters.of(1, 1, 0, "", "median", "");
        ImagePlus out = DenoiseCurrentImageCommand.denoiseInMemory(imp, params, "MR", false, false)[0];
        assertNotNull(out);
        assertEquals(384, out.getWidth());
        float[] whole = (float[]) out.getProcessor().getPixels();
        float[] in = (float[]) imp.getProcessor().convertToFloatProcessor().getPixels();
        for (int k : new int[] {0, 7, 20, 34}) {
            int x0 = (k % 6) * 64, y0 = (k / 6) * 64;
            FloatProcessor tile = new FloatProcessor(64, 64);
            for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) tile.setf(x, y, in[(y0 + y) * 384 + x0 + x]);
            ImagePlus alone = new ImagePlus("tile " + k, tile);
            assertNull(DenoiseCurrentImageCommand.mosaicOf(alone));
            float[] expected = (float[]) DenoiseCurrentImageCommand.denoiseInMemory(alone, params, "MR", false, false)[0]
                    .getProcessor().getPixels();
            for (int y = 0; y < 64; y++)
                for (int x = 0; x < 64; x++)
                    assertEquals(expected[y * 64 + x], whole[(y0 + y) * 384 + x0 + x], 1e-3, "tile " + k + " at " + x + "," + y);
        }
        for (int y = 5 * 64; y < 384; y++)
            for (int x = 5 * 64; x < 384; x++) assertEquals(0, whole[y * 384 + x], 0, "empty tile at " + x + "," + y);
    }
}
