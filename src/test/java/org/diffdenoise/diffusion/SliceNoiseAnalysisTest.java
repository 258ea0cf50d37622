package org.diffdenoise.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.CancelledException;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.bench.data.BenchPhantom;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.noise.RicianNoise;
import org.diffdenoise.noise.RobustNormalization;
import org.diffdenoise.noise.XrayDetectorNoise;
import org.junit.jupiter.api.Test;

/** A series' slices analysed two at a time give exactly what one slice after the other gives. */
class SliceNoiseAnalysisTest {

    private final SliceNoiseAnalysis analysis = new SliceNoiseAnalysis(new TimestepMatcher(NoiseSchedule.cosine(1000)));

    /** Five related phantom slices with MR or detector-blurred X-ray noise (the latter signal-dependent). */
    static List<FloatImage> series(NoiseFamily family, int depth) {
        List<FloatImage> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(21);
        for (int z = 0; z < depth; z++) {
            FloatImage clean = BenchPhantom.generate(192, 160, 31, z / (double) depth);
            float[] noisy = family == NoiseFamily.RICIAN_MR ? new RicianNoise(20 + 5 * z).degrade(clean.data(), r.split())
                    : new XrayDetectorNoise(0.4, 4, 1).simulate(clean.data(), 192, 160, r.split()).noisy();
            out.add(new FloatImage(192, 160, noisy));
        }
        return out;
    }

    @Test
    void pairedSlicesEqualOneAfterTheOther() {
        for (NoiseFamily family : new NoiseFamily[] {NoiseFamily.RICIAN_MR, NoiseFamily.POISSON_GAUSSIAN_XRAY}) {
            for (int depth : new int[] {1, 4, 5}) {
                List<String> stages = new ArrayList<>();
                DenoiseRequest request = DenoiseRequest.of(FloatImage.toStack(series(family, depth)), family, DenoiseSettings.defaults(),
                        (stage, done, total) -> stages.add(stage), null);
                SliceStack src = request.stack();
                RobustNormalization norm = src.fitNormalization();
                SliceNoise[] got = analysis.analyse(request, norm);
                for (int z = 0; z < depth; z++) {
                    SliceNoise one = analysis.slice(src.slice(z), src.width(), src.height(), family, Double.NaN, norm);
                    String what = family + " slice " + z + " of " + depth;
                    assertEquals(one.modality(), got[z].modality(), what);
                    assertEquals(one.normalized(), got[z].normalized(), what);
                    assertEquals(one.tStar(), got[z].tStar(), what);
                    assertArrayEquals(one.map(), got[z].map(), what);
                    assertEquals(Double.doubleToLongBits(one.correlation()), Double.doubleToLongBits(got[z].correlation()), what);
                    assertArrayEquals(one.texture(), got[z].texture(), what);
                }
                assertEquals(depth, stages.size(), "one progress report per slice: " + stages);
                for (int z = 0; z < depth; z++) assertEquals("noise level slice " + (z + 1) + "/" + depth, stages.get(z));
            }
        }
    }

    @Test
    void cancellingStopsBetweenSlices() {
        CancelToken cancel = CancelToken.none();
        List<String> stages = new ArrayList<>();
        DenoiseRequest request = DenoiseRequest.of(FloatImage.toStack(series(NoiseFamily.RICIAN_MR, 6)), NoiseFamily.RICIAN_MR,
                DenoiseSettings.defaults(), (stage, done, total) -> {
                    stages.add(stage);
                    if (done >= 2) cancel.cancel();
                }, cancel);
        assertThrows(CancelledException.class, () -> analysis.analyse(request, request.stack().fitNormalization()));
        assertTrue(stages.size() < 6, "stopped before the last slice: " + stages);
    }

    /** One slice's measured noise, as the analysis gives it. */
    private SliceNoise measured(float[] noisy, int w, int h, NoiseFamily family, double fixedSigma) {
        return analysis.slice(noisy.clone(), w, h, family, fixedSigma, RobustNormalization.fit(noisy));
    }

    @Test
    void correlatedNoiseIsReportedAsSuchAndWhiteOrSharpKernelNoiseIsNot() {
        int w = 192, h = 160, n = 256;
        FloatImage clean = BenchPhantom.generate(w, h, 31, 0.5);
        float[] zeroFilled = new org.diffdenoise.noise.MrKspaceNoise(25, 2, 1, 1).simulate(clean.data(), w, h, new SplittableRandom(5)).noisy();
        float[] white = new RicianNoise(25).degrade(clean.data(), new SplittableRandom(5));
        float[] disk = new float[n * n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) disk[y * n + x] = Math.hypot(x - n / 2.0, y - n / 2.0) < 0.45 * n ? 0 : -1000;
        java.util.function.Function<org.diffdenoise.noise.FbpKernel, float[]> ct = k -> new org.diffdenoise.noise.CtProjectionNoise(k, 1,
                org.diffdenoise.noise.CtProjectionNoise.ELECTRONIC_NOISE, 1.0, 1, 0, 0).simulate(disk, n, n, 30, new SplittableRandom(4)).noisy();

        SliceNoise zf = measured(zeroFilled, w, h, NoiseFamily.RICIAN_MR, Double.NaN);
        String note = SliceNoiseAnalysis.correlationNote(new SliceNoise[] {zf}, java.util.Optional.empty());
        assertTrue(note != null && note.startsWith("noise spatially correlated (Haar scale-2 / scale-1 variance ratio ")
                && note.contains("can exceed the pixel standard deviation")
                && note.endsWith("(where that smooths fine anatomy away, a strength below 1 keeps it)"), "zero-filled MR: " + note);
        SliceNoise hann = measured(ct.apply(org.diffdenoise.noise.FbpKernel.HANN), n, n, NoiseFamily.GAUSSIAN_CT, Double.NaN);
        assertTrue(SliceNoiseAnalysis.correlationNote(new SliceNoise[] {hann}, java.util.Optional.empty()) != null, "Hann-kernel CT, ratio " + hann.correlation());

        SliceNoise rician = measured(white, w, h, NoiseFamily.RICIAN_MR, Double.NaN);
        SliceNoise ramp = measured(ct.apply(org.diffdenoise.noise.FbpKernel.RAMP), n, n, NoiseFamily.GAUSSIAN_CT, Double.NaN);
        assertEquals(null, SliceNoiseAnalysis.correlationNote(new SliceNoise[] {rician}, java.util.Optional.empty()), "white Rician, ratio " + rician.correlation());
        assertEquals(null, SliceNoiseAnalysis.correlationNote(new SliceNoise[] {ramp}, java.util.Optional.empty()), "ramp-kernel CT, ratio " + ramp.correlation());
        assertEquals(null, SliceNoiseAnalysis.correlationNote(new SliceNoise[] {measured(zeroFilled, w, h, NoiseFamily.RICIAN_MR, 25)}, java.util.Optional.empty()),
                "a sigma the user gave is not measured");
        // a series with one correlated slice says so, with the range of the ratio
        assertTrue(SliceNoiseAnalysis.correlationNote(new SliceNoise[] {rician, zf}, java.util.Optional.empty()).contains("ratio up to "),
                SliceNoiseAnalysis.correlationNote(new SliceNoise[] {rician, zf}, java.util.Optional.empty()));
    }
}
