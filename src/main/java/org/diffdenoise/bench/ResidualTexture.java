package org.diffdenoise.bench;

import org.diffdenoise.noise.Fft;

import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;

/**
 * What a denoiser leaves behind beyond PSNR: the spectrum of the residual (denoised - clean) and the sharpness of
 * the result.
 * <ul>
 *   <li>spectral flatness of the radially averaged residual power spectrum (geometric / arithmetic mean over radii
 *       excluding DC): 1 for white residual, lower when the error is concentrated at some frequencies
 *       (e.g. blotchy low-frequency "worms" after NLM/TV, or leftover high-frequency grain)</li>
 *   <li>high-frequency fraction: share of residual power above half the Nyquist radius</li>
 *   <li>gradient energy ratio: sum |grad denoised|^2 / sum |grad clean|^2; 1 is as sharp as the clean image,
 *       below 1 is blurred, above 1 has leftover noise or ringing</li>
 * </ul>
 */
public final class ResidualTexture {

    /** @param flatness spectral flatness in (0, 1]; @param highFrequencyFraction in [0, 1]; @param gradientEnergyRatio see class doc */
    public record Measures(double flatness, double highFrequencyFraction, double gradientEnergyRatio) {
    }

    private ResidualTexture() {
    }

    public static Measures measure(FloatImage clean, FloatImage denoised) {
        int n = largestPowerOfTwo(Math.min(clean.width(), clean.height()));
        FloatImage c = clean.centerCrop(n, n), d = denoised.centerCrop(n, n);
        double[] re = new double[n * n], im = new double[n * n];
        double mean = 0;
        for (int i = 0; i < n * n; i++) mean += re[i] = d.data()[i] - c.data()[i];
        mean /= n * n;
        for (int i = 0; i < n * n; i++) {
            int x = i % n, y = i / n;
            // Hann window against the edge discontinuity of a non-periodic crop.
            double win = 0.25 * (1 - Math.cos(2 * Math.PI * x / n)) * (1 - Math.cos(2 * Math.PI * y / n));
            re[i] = (re[i] - mean) * win;
        }
        Fft.transform2d(re, im, n, n, false);
        int rmax = n / 2;
        double[] power = new double[rmax + 1];
        int[] count = new int[rmax + 1];
        for (int y = 0; y < n; y++) {
            int fy = y <= n / 2 ? y : y - n;
            for (int x = 0; x < n; x++) {
                int fx = x <= n / 2 ? x : x - n;
                int r = (int) Math.round(Math.sqrt(fx * fx + fy * fy));
                if (r > rmax) continue;
                int i = y * n + x;
                power[r] += re[i] * re[i] + im[i] * im[i];
                count[r]++;
            }
        }
        double logSum = 0, sum = 0, high = 0, total = 0;
        int m = 0;
        for (int r = 1; r <= rmax; r++) {
            double p = power[r] / count[r];
            total += power[r];
            if (r > rmax / 2) high += power[r];
            logSum += Math.log(Math.max(p, 1e-300));
            sum += p;
            m++;
        }
        double flat = sum == 0 ? 1 : Math.exp(logSum / m) / (sum / m);
        double hf = total == 0 ? 0 : high / total;
        return new Measures(flat, hf, gradientEnergy(denoised) / Math.max(gradientEnergy(clean), 1e-30));
    }

    static double gradientEnergy(FloatImage im) {
        double s = 0;
        for (float g : ImageMetrics.gradientMagnitude(im)) s += (double) g * g;
        return s;
    }

    static int largestPowerOfTwo(int v) {
        return Integer.highestOneBit(v);
    }
}
