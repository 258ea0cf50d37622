package org.diffdenoise.image;

import org.diffdenoise.bench.ResidualTexture;
import org.diffdenoise.noise.NoiseStatistics;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class ImageMetricsTest {

    private static FloatImage ramp(int w, int h) {
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) d[i] = (i % w) * 3 + (i / w) * 0.5f;
        return new FloatImage(w, h, d);
    }

    @Test
    void ssimOfIdenticalImagesIsOne() {
        FloatImage a = ramp(20, 16);
        assertEquals(1.0, ImageMetrics.ssim(a, a.copy()), 1e-12);
    }

    @Test
    void psnrOfKnownMse() {
        // reference range 0..100, every pixel off by 1 -> MSE 1 -> PSNR = 20 log10(100) = 40 dB
        float[] r = new float[100], t = new float[100];
        for (int i = 0; i < 100; i++) { r[i] = i * 100f / 99f; t[i] = r[i] + (i % 2 == 0 ? 1 : -1); }
        FloatImage ref = new FloatImage(10, 10, r), test = new FloatImage(10, 10, t);
        assertEquals(1.0, ImageMetrics.mse(ref, test), 1e-9);
        assertEquals(40.0, ImageMetrics.psnr(ref, test), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(ref, ref));
    }

    @Test
    void ssimOfMeanShiftFollowsLuminanceTerm() {
        // constant images a and b=a+c: variances 0, so SSIM = (2ab + C1) / (a^2 + b^2 + C1) exactly;
        // L comes from the reference, so give the reference a range by comparing two ramps shifted by c.
        FloatImage a = ramp(15, 15);
        float[] b = a.data().clone();
        for (int i = 0; i < b.length; i++) b[i] += 10;
        double s = ImageMetrics.ssim(a, new FloatImage(15, 15, b));
        assertTrue(s < 1 && s > 0.9, "shifted ramp keeps structure, loses a little luminance: " + s);
    }

    /** Value computed by scikit-image 0.19.3 (Debian python3-skimage), see test-data/ssim/make_ssim_reference.py. */
    @Test
    void ssimAndPsnrMatchScikitImage() throws IOException {
        Path dir = Path.of("test-data", "ssim");
        FloatImage ref = readText(dir.resolve("reference.txt"));
        FloatImage dist = readText(dir.resolve("distorted.txt"));
        Map<String, Double> expected = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("expected.txt"))) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 2) expected.put(p[0], Double.parseDouble(p[1]));
        }
        assertEquals(expected.get("data_range"), ref.range(), 1e-3);
        assertEquals(expected.get("ssim"), ImageMetrics.ssim(ref, dist), 1e-6);
        assertEquals(expected.get("psnr"), ImageMetrics.psnr(ref, dist), 1e-4);
    }

    @Test
    void residualCorrelationIsHighWhenEdgesAreRemoved() {
        FloatImage clean = org.diffdenoise.bench.data.BenchPhantom.generate(64, 64, 5, 0.5);
        SplittableRandom rng = new SplittableRandom(1);
        float[] n = clean.data().clone();
        for (int i = 0; i < n.length; i++) n[i] += (float) (20 * org.diffdenoise.noise.NoiseModel.gaussian(rng));
        FloatImage noisy = new FloatImage(64, 64, n);
        // "denoised" = clean: the removed part is pure noise, uncorrelated with edges
        double good = ImageMetrics.residualEdgeCorrelation(clean, noisy, clean);
        // "denoised" = heavy box blur: the removed part follows edges
        FloatImage blurred = new org.diffdenoise.classical.GaussianBlurDenoiser(3.0)
                .denoiseSlice(noisy, org.diffdenoise.api.NoiseFamily.GAUSSIAN_CT, 20);
        double bad = ImageMetrics.residualEdgeCorrelation(clean, noisy, blurred);
        assertTrue(Math.abs(good) < 0.1, "noise-only residual: " + good);
        assertTrue(bad > 0.4, "blur residual follows edges: " + bad);
    }

    @Test
    void haarMadRecoversKnownSigma() {
        FloatImage clean = org.diffdenoise.bench.data.BenchPhantom.generate(256, 256, 7, 0.5);
        SplittableRandom rng = new SplittableRandom(3);
        float[] n = clean.data().clone();
        for (int i = 0; i < n.length; i++) n[i] += (float) (25 * org.diffdenoise.noise.NoiseModel.gaussian(rng));
        double s = NoiseStatistics.haarMadSigma(new FloatImage(256, 256, n));
        assertEquals(25, s, 2.0, "MAD estimate within 8%");
    }

    @Test
    void residualTextureOfWhiteNoiseIsFlat() {
        FloatImage clean = FloatImage.zeros(128, 128);
        SplittableRandom rng = new SplittableRandom(9);
        float[] n = new float[128 * 128];
        for (int i = 0; i < n.length; i++) n[i] = (float) org.diffdenoise.noise.NoiseModel.gaussian(rng);
        ResidualTexture.Measures m = ResidualTexture.measure(clean, new FloatImage(128, 128, n));
        assertTrue(m.flatness() > 0.9, "white noise flatness " + m.flatness());
        // area of the annulus r in (32, 64] over the disc r <= 64: 3/4
        assertEquals(0.75, m.highFrequencyFraction(), 0.05);
    }

    static FloatImage readText(Path p) throws IOException {
        List<float[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(p)) {
            if (line.isBlank()) continue;
            String[] t = line.trim().split("\\s+");
            float[] r = new float[t.length];
            for (int i = 0; i < t.length; i++) r[i] = Float.parseFloat(t[i]);
            rows.add(r);
        }
        int w = rows.get(0).length, h = rows.size();
        float[] d = new float[w * h];
        for (int y = 0; y < h; y++) System.arraycopy(rows.get(y), 0, d, y * w, w);
        return new FloatImage(w, h, d);
    }
}
