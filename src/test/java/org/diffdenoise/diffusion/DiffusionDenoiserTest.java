package org.diffdenoise.diffusion;

import org.diffdenoise.model.NoiseSchedule;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.CancelledException;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.model.DenoisingNetwork;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.noise.RicianNoise;
import org.diffdenoise.noise.RobustNormalization;
import org.junit.jupiter.api.Test;

class DiffusionDenoiserTest {

    static final NoiseSchedule SCHEDULE = NoiseSchedule.cosine(1000);
    static final ModelDescriptor DESC = new ModelDescriptor("test", "fake", "0", "");

    /** A noisy MR-like stack: smooth clean slices plus Rician noise, modality-like units. */
    static float[][] noisyStack(int w, int h, int depth, long seed, float[][] cleanOut) {
        float[][] noisy = new float[depth][];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int z = 0; z < depth; z++) {
            float[] c = new float[w * h];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    double u = (x - w / 2.0) / (0.4 * w), v = (y - h / 2.0) / (0.4 * h);
                    c[y * w + x] = (float) (u * u + v * v < 1 ? 800 + 300 * Math.sin(0.05 * x + 0.3 * z) * Math.cos(0.04 * y) : 0);
                }
            if (cleanOut != null) cleanOut[z] = c;
            noisy[z] = new RicianNoise(40).degrade(c, rng);
        }
        return noisy;
    }

    static RandomAccessibleInterval<FloatType> stack(float[][] slices, int w, int h) {
        float[] all = new float[w * h * slices.length];
        for (int z = 0; z < slices.length; z++) System.arraycopy(slices[z], 0, all, z * w * h, w * h);
        return ArrayImgs.floats(all, w, h, slices.length);
    }

    static float[] values(RandomAccessibleInterval<FloatType> img) {
        float[] v = new float[(int) net.imglib2.util.Intervals.numElements(img)];
        int i = 0;
        for (FloatType t : Views.flatIterable(img)) v[i++] = t.get();
        return v;
    }

    static DenoiseSettings settings(int tile, int overlap, int batch) {
        return new DenoiseSettings(4, 1, 42, Double.NaN, tile, overlap, batch);
    }

    @Test
    void identityNetworkReproducesInputThroughTilingAndNormalization() {
        int w = 150, h = 97, depth = 3;
        float[][] slices = noisyStack(w, h, depth, 1, null);
        RandomAccessibleInterval<FloatType> in = stack(slices, w, h);
        FakeNetworks.Fake net = FakeNetworks.identity(16);
        DenoiseResult r = new DiffusionDenoiser(net, SCHEDULE, DESC).denoise(in, NoiseFamily.RICIAN_MR, settings(64, 16, 3),
                ProgressListener.NONE, CancelToken.none());
        float[] a = values(in), b = values(r.denoised());
        RobustNormalization norm = RobustNormalization.fit(a);
        for (int i = 0; i < a.length; i++) {
            // the only error is one float rounding in and out of normalized units
            assertEquals(a[i], b[i], 2 * Math.ulp((float) norm.scale()) + Math.ulp(a[i]), "voxel " + i);
        }
        assertNull(r.uncertainty());
        assertEquals(depth, r.noiseSigma().length);
        for (double s : r.noiseSigma()) assertEquals(40, s, 40 * 0.15, "estimated Rician sigma");
        assertEquals("fake", r.device());
        assertTrue(net.calls.size() > 0);
        for (int[] c : net.calls) assertTrue(c[0] <= 3, "batch size respected");
    }

    /**
     * Zero-filled MR around air: the note on its correlated noise gives the pixel SD the air measures, within 15 % of the
     * simulator's, where the estimated level the network is conditioned on reads above it.
     */
    @Test
    void correlatedMrNoteGivesThePixelSdOfItsAir() {
        int w = 192, h = 160, depth = 3;
        double sigma = 25;
        float[][] slices = new float[depth][];
        SplittableRandom rng = new SplittableRandom(8);
        for (int z = 0; z < depth; z++)
            slices[z] = new org.diffdenoise.noise.MrKspaceNoise(sigma, 2, 1, 1).simulate(
                    org.diffdenoise.bench.data.BenchPhantom.generate(w, h, 31, z / 3.0).data(), w, h, rng.split()).noisy();
        DenoiseResult r = new DiffusionDenoiser(FakeNetworks.identity(16), SCHEDULE, DESC).denoise(stack(slices, w, h),
                NoiseFamily.RICIAN_MR, settings(64, 16, 3), ProgressListener.NONE, CancelToken.none());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("pixel standard deviation, which the noise SD of the image's air puts at ([0-9.]+)")
                .matcher(String.valueOf(r.noiseNote()));
        assertTrue(m.find(), r.noiseNote());
        assertEquals(sigma, Double.parseDouble(m.group(1)), 0.15 * sigma, r.noiseNote());
    }

    @Test
    void oracleNetworkGivesTheCleanImage() {
        int w = 90, h = 70, depth = 2;
        float[][] clean = new float[depth][];
        float[][] slices = noisyStack(w, h, depth, 2, clean);
        RandomAccessibleInterval<FloatType> in = stack(slices, w, h);
        RobustNormalization norm = RobustNormalization.fit(values(in));
        // the oracle recognizes each (normalized) noisy tile and answers with the clean tile at the same place
        TileGrid grid = TileGrid.of(w, h, 64, 8, 8);
        Map<Integer, List<float[][]>> truth = new HashMap<>();
        int m = grid.x().span() * grid.y().span();
        for (int z = 0; z < depth; z++) {
            float[] ny = slices[z].clone(), nc = clean[z].clone();
            norm.applyInPlace(ny);
            norm.applyInPlace(nc);
            for (TileGrid.Tile t : grid.tiles()) {
                float[] yt = new float[m], ct = new float[m];
                Conditioning.readTile(Conditioning.mirrored(ArrayImgs.floats(ny, w, h)), t.x(), t.y(), grid.x().span(), grid.y().span(), yt);
                Conditioning.readTile(Conditioning.mirrored(ArrayImgs.floats(nc, w, h)), t.x(), t.y(), grid.x().span(), grid.y().span(), ct);
                // the sampler shows the network mirrored tiles at some steps: the oracle knows those too
                for (int f = 0; f < 4; f++) {
                    float[] yf = MirroredNetwork.flip(yt, 1, grid.y().span(), grid.x().span(), 1, f);
                    float[] cf = MirroredNetwork.flip(ct, 1, grid.y().span(), grid.x().span(), 1, f);
                    truth.computeIfAbsent(java.util.Arrays.hashCode(yf), k -> new ArrayList<>()).add(new float[][] {yf, cf});
                }
            }
        }
        DenoisingNetwork oracle = new DenoisingNetwork() {
            @Override
            public float[] predictX0(int n, int hh, int ww, float[] xt, float[] cond, float[] t, NoiseFamily family) {
                float[] out = new float[n * m];
                for (int j = 0; j < n; j++) {
                    float[] yt = new float[m];
                    for (int p = 0; p < m; p++) yt[p] = cond[(j * m + p) * 4];
                    float[] ct = truth.getOrDefault(java.util.Arrays.hashCode(yt), List.of()).stream()
                            .filter(e -> java.util.Arrays.equals(e[0], yt)).findFirst().orElseThrow()[1];
                    System.arraycopy(ct, 0, out, j * m, m);
                }
                return out;
            }

            @Override
            public int conditionChannels() {
                return 4;
            }

            @Override
            public int sizeMultiple() {
                return 8;
            }

            @Override
            public String device() {
                return "oracle";
            }

            @Override
            public void close() {
            }
        };
        DenoiseResult r = new DiffusionDenoiser(oracle, SCHEDULE, DESC).denoise(in, NoiseFamily.RICIAN_MR, settings(64, 8, 4),
                ProgressListener.NONE, CancelToken.none());
        float[] out = values(r.denoised());
        for (int z = 0; z < depth; z++)
            for (int i = 0; i < w * h; i++)
                assertEquals(clean[z][i], out[z * w * h + i], 1e-3, "slice " + z + " pixel " + i);
    }

    @Test
    void samplesGiveUncertaintyAndSeedsAreReproducible() {
        int w = 64, h = 48;
        RandomAccessibleInterval<FloatType> in = stack(noisyStack(w, h, 2, 3, null), w, h);
        DenoiseSettings s = settings(64, 16, 2).withSamples(3);
        DenoiseResult a = new DiffusionDenoiser(FakeNetworks.stateDependent(16), SCHEDULE, DESC).denoise(in, NoiseFamily.RICIAN_MR, s, null, null);
        DenoiseResult b = new DiffusionDenoiser(FakeNetworks.stateDependent(16), SCHEDULE, DESC).denoise(in, NoiseFamily.RICIAN_MR, s, null, null);
        DenoiseResult c = new DiffusionDenoiser(FakeNetworks.stateDependent(16), SCHEDULE, DESC).denoise(in, NoiseFamily.RICIAN_MR, s.withSeed(7), null, null);
        assertNotNull(a.uncertainty());
        assertArrayEquals(values(a.denoised()), values(b.denoised()));
        assertArrayEquals(values(a.uncertainty()), values(b.uncertainty()));
        assertFalse(java.util.Arrays.equals(values(a.denoised()), values(c.denoised())), "another seed gives another result");
        double meanStd = 0;
        for (float v : values(a.uncertainty())) {
            assertTrue(v >= 0);
            meanStd += v;
        }
        assertTrue(meanStd > 0, "samples differ");
        // batching must not change the result: the noise is seeded per tile, not per batch
        DenoiseResult d = new DiffusionDenoiser(FakeNetworks.stateDependent(16), SCHEDULE, DESC).denoise(in, NoiseFamily.RICIAN_MR,
                new DenoiseSettings(4, 3, 42, Double.NaN, 64, 16, 1), null, null);
        assertArrayEquals(values(a.denoised()), values(d.denoised()));
        // one deterministic sample: the seed does not matter
        DenoiseResult e1 = new DiffusionDenoiser(FakeNetworks.stateDependent(16), SCHEDULE, DESC).denoise(in, NoiseFamily.RICIAN_MR, settings(64, 16, 2), null, null);
        DenoiseResult e2 = new DiffusionDenoiser(FakeNetworks.stateDependent(16), SCHEDULE, DESC).denoise(in, NoiseFamily.RICIAN_MR, settings(64, 16, 2).withSeed(9), null, null);
        assertArrayEquals(values(e1.denoised()), values(e2.denoised()));
    }

    @Test
    void cancelStopsAndProgressIsReported() {
        int w = 64, h = 64;
        RandomAccessibleInterval<FloatType> in = stack(noisyStack(w, h, 4, 4, null), w, h);
        List<String> stages = Collections.synchronizedList(new ArrayList<>());
        FakeNetworks.Fake net = FakeNetworks.identity(16);
        new DiffusionDenoiser(net, SCHEDULE, DESC).denoise(in, NoiseFamily.RICIAN_MR, settings(64, 0, 1),
                (stage, done, total) -> stages.add(stage + " " + done + "/" + total), CancelToken.none());
        assertTrue(stages.contains("slice 3/4 step 2/4 10/16"), stages.toString());
        assertEquals("done 16/16", stages.get(stages.size() - 1));

        CancelToken cancel = new CancelToken();
        FakeNetworks.Fake cancelling = FakeNetworks.identity(16);
        cancelling.onCall = k -> { if (k == 2) cancel.cancel(); };
        assertThrows(CancelledException.class, () -> new DiffusionDenoiser(cancelling, SCHEDULE, DESC)
                .denoise(in, NoiseFamily.RICIAN_MR, settings(64, 0, 1), null, cancel));
        assertEquals(2, cancelling.calls.size(), "stopped at the next step");
    }

    @Test
    void constantImageAndZeroSigmaReturnInput() {
        float[] flat = new float[40 * 30];
        java.util.Arrays.fill(flat, 123.5f);
        RandomAccessibleInterval<FloatType> in = ArrayImgs.floats(flat, 40, 30);
        FakeNetworks.Fake net = FakeNetworks.stateDependent(8);
        // estimated: nothing measurable, reported instead of returning an unchanged copy
        org.diffdenoise.api.NothingToDenoiseException e = assertThrows(org.diffdenoise.api.NothingToDenoiseException.class,
                () -> new DiffusionDenoiser(net, SCHEDULE, DESC).denoise(in, NoiseFamily.GAUSSIAN_CT, settings(64, 8, 2), null, null));
        assertTrue(e.getMessage().contains("no measurable noise in any of its 1 slice(s)"), e.getMessage());
        assertEquals(0, net.calls.size(), "nothing to do");
        // given as 0: the input comes back
        DenoiseResult r = new DiffusionDenoiser(net, SCHEDULE, DESC).denoise(in, NoiseFamily.GAUSSIAN_CT,
                settings(64, 8, 2).withNoiseSigma(0), null, null);
        assertEquals(2, r.denoised().numDimensions(), "2D in, 2D out");
        assertArrayEquals(flat, values(r.denoised()));
        assertEquals(0, r.noiseSigma()[0]);
        assertEquals(0, net.calls.size(), "nothing to do");

        RandomAccessibleInterval<FloatType> noisy = stack(noisyStack(32, 32, 1, 5, null), 32, 32);
        DenoiseResult z = new DiffusionDenoiser(net, SCHEDULE, DESC).denoise(noisy, NoiseFamily.RICIAN_MR,
                settings(64, 8, 2).withNoiseSigma(0), null, null);
        assertArrayEquals(values(noisy), values(z.denoised()));
    }

    /** Predicts the noisy slice shifted by {@code shift} normalized units: pushes the output out of range. */
    static FakeNetworks.Fake shifted(int multiple, float shift) {
        return new FakeNetworks.Fake(multiple) {
            @Override
            float x0(float xt, float[] cond, int p) {
                return cond[p * 4] + shift;
            }
        };
    }

    @Test
    void maskedBackgroundIsKeptAndOutputStaysWithinTheInputRange() {
        int w = 64, h = 48;
        float[][] clean = new float[2][];
        float[][] noisy = noisyStack(w, h, 2, 11, clean);
        float[][] masked = new float[2][];
        for (int z = 0; z < 2; z++) {
            masked[z] = noisy[z].clone();
            for (int i = 0; i < w * h; i++) if (clean[z][i] == 0) masked[z][i] = 0f;  // the scanner's mask: exact zeros
        }
        float[] in = values(stack(masked, w, h));
        float max = 0;
        for (float v : in) max = Math.max(max, v);
        for (float shift : new float[] {-0.3f, 0.3f}) {
            DenoiseResult r = new DiffusionDenoiser(shifted(8, shift), SCHEDULE, DESC).denoise(stack(masked, w, h),
                    NoiseFamily.RICIAN_MR, settings(64, 8, 2), null, null);
            float[] out = values(r.denoised());
            int kept = 0, changed = 0;
            for (int z = 0; z < 2; z++) {
                for (int y = 1; y < h - 1; y++) {
                    for (int x = 1; x < w - 1; x++) {
                        int i = z * w * h + y * w + x;
                        boolean plateau = true;
                        for (int dy = -1; dy <= 1; dy++) for (int dx = -1; dx <= 1; dx++) plateau &= in[i + dy * w + dx] == 0f;
                        if (plateau) {
                            assertEquals(0f, out[i], "masked background pixel " + i + " must stay 0 (shift " + shift + ")");
                            kept++;
                        } else if (out[i] != in[i]) {
                            changed++;
                        }
                    }
                }
            }
            assertTrue(kept > 500 && changed > 1000, "kept " + kept + ", changed " + changed);
            for (int i = 0; i < out.length; i++) {
                assertTrue(out[i] >= 0f && out[i] <= max, "pixel " + i + " = " + out[i] + " outside [0, " + max + "] (shift " + shift + ")");
            }
        }
        // a Rician (unmasked) background has no exact plateaus: it is denoised, not kept
        DenoiseResult r = new DiffusionDenoiser(shifted(8, 0.3f), SCHEDULE, DESC).denoise(stack(noisy, w, h),
                NoiseFamily.RICIAN_MR, settings(64, 8, 2), null, null);
        float[] out = values(r.denoised());
        float[] raw = values(stack(noisy, w, h));
        assertTrue(out[0] != raw[0] && out[w * h - 1] != raw[w * h - 1], "background corners should change");
    }

    @Test
    void nanPixelsStayNanAndDoNotReachTheNetwork() {
        int w = 48, h = 40;
        float[][] s = noisyStack(w, h, 2, 6, null);
        s[0][5] = Float.NaN;
        s[1][100] = Float.POSITIVE_INFINITY;
        RandomAccessibleInterval<FloatType> in = stack(s, w, h);
        DenoiseResult r = new DiffusionDenoiser(FakeNetworks.identity(16), SCHEDULE, DESC).denoise(in, NoiseFamily.RICIAN_MR,
                settings(64, 8, 2), null, null); // the fake network asserts that every conditioning value is finite
        float[] out = values(r.denoised());
        assertTrue(Float.isNaN(out[5]));
        assertEquals(Float.POSITIVE_INFINITY, out[w * h + 100]);
        assertTrue(Float.isFinite(out[6]));
    }

    @Test
    void conditioningCarriesNeighboursAndNoiseMap() {
        int w = 32, h = 32, depth = 3;
        float[][] s = new float[depth][w * h];
        SplittableRandom rng = new SplittableRandom(1);
        for (int z = 0; z < depth; z++)
            for (int i = 0; i < w * h; i++) s[z][i] = (float) (100 * z + 10 * NoiseModel.gaussian(rng));
        RandomAccessibleInterval<FloatType> in = stack(s, w, h);
        List<float[]> seen = new ArrayList<>();
        FakeNetworks.Fake net = new FakeNetworks.Fake(16) {
            @Override
            float x0(float xt, float[] cond, int p) {
                if (p == 0) seen.add(cond.clone());
                return cond[p * 4];
            }
        };
        double sigma = 10;
        new DiffusionDenoiser(net, SCHEDULE, DESC).denoise(in, NoiseFamily.GAUSSIAN_CT, settings(64, 0, 1).withSteps(1).withNoiseSigma(sigma), null, null);
        RobustNormalization norm = RobustNormalization.fit(values(in));
        assertEquals(depth, seen.size());
        for (int z = 0; z < depth; z++) {
            float[] c = seen.get(z);
            int prev = Math.max(0, z - 1), next = Math.min(depth - 1, z + 1);
            assertEquals(norm.apply(s[z][0]), c[0]);
            assertEquals(norm.apply(s[prev][0]), c[1]);
            assertEquals(norm.apply(s[next][0]), c[2]);
            assertEquals(sigma / norm.scale(), c[3], 1e-6);
        }
        // t* follows the matcher: sigma / scale in normalized units
        int expected = new TimestepMatcher(SCHEDULE).timestepFor(sigma / norm.scale());
        assertEquals((float) expected / 1000, net.times.get(0)[0]);

        // without slice context (repeated positions) each slice is its own previous and next
        seen.clear();
        new DiffusionDenoiser(net, SCHEDULE, DESC).denoise(in, NoiseFamily.GAUSSIAN_CT,
                settings(64, 0, 1).withSteps(1).withNoiseSigma(sigma).withSliceContext(false), null, null);
        assertEquals(depth, seen.size());
        for (int z = 0; z < depth; z++) {
            float[] c = seen.get(z);
            assertEquals(norm.apply(s[z][0]), c[0]);
            assertEquals(c[0], c[1]);
            assertEquals(c[0], c[2]);
        }
    }

    @Test
    void signalDependentNoiseMapIsSeamlessAcrossTiles() {
        int w = 100, h = 80;
        float[] clean = new float[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) clean[y * w + x] = 200 + 5 * x + 3 * y;
        float[] noisy = new org.diffdenoise.noise.PoissonGaussianNoise(2.0, 5).degrade(clean, new SplittableRandom(8));
        RandomAccessibleInterval<FloatType> in = ArrayImgs.floats(noisy.clone(), w, h);
        // a network that answers with its noise-level channel: the output is the blended sigma map
        FakeNetworks.Fake echo = new FakeNetworks.Fake(16) {
            @Override
            float x0(float xt, float[] cond, int p) {
                return cond[p * 4 + 3];
            }
        };
        DenoiseResult r = new DiffusionDenoiser(echo, SCHEDULE, DESC).denoise(in, NoiseFamily.POISSON_GAUSSIAN_XRAY, settings(64, 16, 4),
                null, null);
        RobustNormalization norm = RobustNormalization.fit(noisy);
        org.diffdenoise.noise.NoiseEstimate e = org.diffdenoise.noise.NoiseLevelEstimator.estimate(noisy, w, h, NoiseFamily.POISSON_GAUSSIAN_XRAY)
                .normalized(norm);
        assertTrue(e.signalDependent());
        float[] yn = noisy.clone();
        norm.applyInPlace(yn);
        float[] expected = org.diffdenoise.noise.SignalDependentSigma.map(yn, w, h, e.gain(), e.readSigma());
        float[] out = values(r.denoised());
        for (int i = 0; i < expected.length; i++) assertEquals(norm.invert(expected[i]), out[i], 1e-3, "pixel " + i);
        assertTrue(echo.calls.size() >= 1);
    }

    @Test
    void largeSliceIsTiledWithinMemory() {
        int w = 4096, h = 4096;
        float[] px = new float[w * h];
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < px.length; i++) px[i] = (float) (1000 + 50 * NoiseModel.gaussian(rng));
        RandomAccessibleInterval<FloatType> in = ArrayImgs.floats(px, w, h);
        FakeNetworks.Fake net = FakeNetworks.identity(16);
        DenoiseResult r = new DiffusionDenoiser(net, SCHEDULE, DESC).denoise(in, NoiseFamily.GAUSSIAN_CT,
                new DenoiseSettings(1, 1, 1, Double.NaN, 1024, 64, 2), null, null);
        assertEquals(50, r.noiseSigma()[0], 50 * 0.05);
        // 4096 px in tiles of at most 1024 overlapping by 64: 5 per axis, of (4096 + 4 * 64) / 5 -> 880
        for (int[] c : net.calls) assertEquals(880, c[1]);
        RobustNormalization norm = RobustNormalization.fit(px);
        float[] out = values(r.denoised());
        for (int i = 0; i < px.length; i += 997) assertEquals(px[i], out[i], 2 * Math.ulp((float) norm.scale()) + Math.ulp(px[i]));
    }
}
