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
}
