package org.diffdenoise.bench;

import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;

import org.diffdenoise.api.*;

import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.noise.RicianNoise;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import java.nio.file.Path;
import java.util.*;
/**
 * The 2.5D context with same-position slices of another contrast (two echoes interleaved in one series, as series order
 * puts them) against each slice alone and a plain volume: Colin27 slices 78-80 and an inverted-contrast copy, Rician
 * 5 and 10 %, shipped model, default settings, oracle sigma. Run:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) org.diffdenoise.bench.SliceContextCheck}
 * (docs/diffusion.md, "Slice context").
 */
public final class SliceContextCheck {
    static float[] slice(net.imglib2.RandomAccessibleInterval<FloatType> r, int z, int n) {
        float[] o = new float[n]; var c = Views.flatIterable(Views.hyperSlice(r, 2, z)).cursor(); for (int i = 0; i < n; i++) o[i] = c.next().get(); return o;
    }
    static double run(Denoiser d, List<float[]> noisy, int w, int h, int target, float[] clean, double sigma, boolean context) {
        var img = ArrayImgs.floats(w, h, noisy.size());
        var c = Views.flatIterable(img).cursor();
        for (float[] s : noisy) for (float v : s) c.next().set(v);
        var r = d.denoise(img, NoiseFamily.RICIAN_MR, DenoiseSettings.defaults().withNoiseSigma(sigma).withSliceContext(context), ProgressListener.NONE, CancelToken.none());
        return ImageMetrics.psnr(new FloatImage(w, h, clean), new FloatImage(w, h, slice(r.denoised(), target, w * h)));
    }
    public static void main(String[] a) throws Exception {
        var ref = BenchmarkData.references(Path.of("external-data"), true, n -> n.equals("colin27-t1")).get(0);
        List<FloatImage> s = ref.slices();
        int w = s.get(0).width(), h = s.get(0).height();
        double R = 0; for (FloatImage f : s) R = Math.max(R, f.range());
        final double RR = R;
        // a second "echo": same anatomy, other contrast (inverted, T2-like), at the same positions
        List<FloatImage> t2 = new ArrayList<>();
        for (FloatImage f : s) { float[] v = f.data().clone(); for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] > 0.02 * RR ? RR - v[i] * 0.8 : v[i]); t2.add(new FloatImage(w, h, v)); }
        try (Denoiser d = org.diffdenoise.pipeline.DenoiserRegistry.diffusion((java.nio.file.Path) null)) {
            for (double level : new double[] {0.05, 0.10}) {
                double sigma = level * R;
                var nm = new RicianNoise(sigma);
                SplittableRandom rng = new SplittableRandom(5);
                List<float[]> n1 = new ArrayList<>(), n2 = new ArrayList<>();
                for (int k = 0; k < 3; k++) { n1.add(nm.degrade(s.get(k).data(), rng)); n2.add(nm.degrade(t2.get(k).data(), rng)); }
                double alone = run(d, List.of(n1.get(1)), w, h, 0, s.get(1).data(), sigma, true);
                double volume = run(d, n1, w, h, 1, s.get(1).data(), sigma, true);
                // series order by position then instance: s0, t0, s1, t1, s2, t2 -> s1 at index 2, neighbours t0 and t1
                List<float[]> both = List.of(n1.get(0), n2.get(0), n1.get(1), n2.get(1), n1.get(2), n2.get(2));
                double mixed = run(d, both, w, h, 2, s.get(1).data(), sigma, true);
                double mixedOff = run(d, both, w, h, 2, s.get(1).data(), sigma, false);
                double t2alone = run(d, List.of(n2.get(1)), w, h, 0, t2.get(1).data(), sigma, true);
                double t2mixed = run(d, both, w, h, 3, t2.get(1).data(), sigma, true);
                double t2mixedOff = run(d, both, w, h, 3, t2.get(1).data(), sigma, false);
                System.out.printf("Rician %.0f%%: first echo: alone %.2f, plain volume %.2f, interleaved with context %.2f, without %.2f"
                        + " | second echo: alone %.2f, interleaved with context %.2f, without %.2f dB%n",
                        100 * level, alone, volume, mixed, mixedOff, t2alone, t2mixed, t2mixedOff);
            }
        }
    }
}
