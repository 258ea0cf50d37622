package org.diffdenoise.diffusion;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.bench.RealisticCases;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.diffdenoise.noise.NoiseFieldEstimator;

/** Debug measurement (not a test): PSNR of the model on y + resampled noise vs y + fresh white noise, per factor. */
public final class RecorruptionCheck {
    public static void main(String[] args) throws Exception {
        List<RealisticCases.Case> cases = AdaptationSweep.whiteCases(List.of(args[0]));
        RealisticCases.Case c = cases.get(0);
        FloatImage y = c.noisy().get(0);
        int w = y.width(), h = y.height();
        float[] map = NoiseFieldEstimator.estimate(y.data(), w, h, c.family()).sigmaMap();
        float[] a = NoiseResampling.resample(y.data(), map, w, h, 0, 0, w / 16 * 16, h / 16 * 16, new SplittableRandom(3));
        double va = 0, vm = 0;
        for (int i = 0; i < a.length; i++) { va += a[i] * a[i]; vm += map[i] * map[i]; }
        System.out.printf(Locale.ROOT, "var(a)/map^2 = %.3f; true sigma %.2f map %.2f%n", va / vm, c.trueSigma(), Math.sqrt(vm / a.length));
        SplittableRandom rng = new SplittableRandom(5);
        float[] y1 = y.data().clone(), y1w = y.data().clone();
        for (int i = 0; i < a.length; i++) { y1[i] += a[i]; y1w[i] += (float) (rng.nextGaussian() * c.trueSigma()); }
        try (DiffusionDenoiser d = DiffusionDenoiser.open(null)) {
            for (double s : new double[] {0.71, 1, 1.41, 2}) {
                double p1 = psnr(d, c, y1, w, h, s), p2 = psnr(d, c, y1w, w, h, s);
                System.out.printf(Locale.ROOT, "factor %.2f (on the estimate of y+a): resampled %.2f dB, fresh white %.2f dB%n", s, p1, p2);
            }
        }
        System.exit(0);
    }

    static double psnr(DiffusionDenoiser d, RealisticCases.Case c, float[] in, int w, int h, double s) {
        var r = d.denoise(FloatImage.toStack(List.of(new FloatImage(w, h, in))), c.family(), DenoiseSettings.defaults(), ProgressListener.NONE, CancelToken.none(), s);
        return ImageMetrics.psnr(c.reference().get(0), FloatImage.fromStack(r.denoised()).get(0));
    }
}
