package org.diffdenoise.pipeline;

import java.util.Locale;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.diffdenoise.noise.RicianNoise;
import org.diffdenoise.image.Phantoms;

/**
 * A first check of a denoiser (a new model bundle, a GPU build): denoise a seeded synthetic MR-like slice with Rician
 * noise at default settings, the true sigma given, and report PSNR before and after, the device and the time.
 * The slice comes from the training phantom generator, so the figure says "loads, runs and denoises", not how good
 * the model is on real images (that is the benchmark's job).
 */
public final class SelfCheck {

    /** PSNR in dB against the clean slice's range, before and after; the device the denoiser reported. */
    public record Result(int size, double noisePercent, double psnrNoisy, double psnrDenoised, String device, double seconds) {
        public boolean improved() {
            return psnrDenoised > psnrNoisy;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "synthetic %dx%d MR-like slice, Rician %s %%: PSNR noisy %.2f dB -> denoised %.2f dB (%+.2f dB) on %s in %.2f s",
                    size, size, java.math.BigDecimal.valueOf(noisePercent).stripTrailingZeros().toPlainString(), psnrNoisy, psnrDenoised, psnrDenoised - psnrNoisy, device, seconds);
        }
    }

    private SelfCheck() {
    }

    /** Runs the check; the caller owns (and closes) the denoiser. */
    public static Result run(Denoiser denoiser, int size, double noisePercent) {
        if (size < 16 || size > 4096) throw new IllegalArgumentException("size must be 16 to 4096 pixels, got " + size);
        if (!(noisePercent > 0 && noisePercent <= 50)) throw new IllegalArgumentException("noise must be in (0, 50] %, got " + noisePercent);
        FloatImage clean = new FloatImage(size, size, Phantoms.mrLike(size, 20261126L));
        double sigma = noisePercent / 100 * clean.range();
        float[] noisy = new RicianNoise(sigma).degrade(clean.data(), new java.util.SplittableRandom(7));
        long t0 = System.nanoTime();
        DenoiseResult r = denoiser.denoise(ArrayImgs.floats(noisy.clone(), size, size), NoiseFamily.RICIAN_MR,
                DenoiseSettings.defaults().withNoiseSigma(sigma), org.diffdenoise.api.ProgressListener.NONE,
                org.diffdenoise.api.CancelToken.none());
        double secs = (System.nanoTime() - t0) / 1e9;
        float[] out = new float[noisy.length];
        int i = 0;
        for (FloatType v : Views.flatIterable(r.denoised())) out[i++] = v.get();
        return new Result(size, noisePercent, ImageMetrics.psnr(clean, new FloatImage(size, size, noisy)),
                ImageMetrics.psnr(clean, new FloatImage(size, size, out)), r.device(), secs);
    }
}
