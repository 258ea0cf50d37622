package org.diffdenoise.bench;

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
        fft2(re, im, n);
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

    /** In-place 2D radix-2 FFT of an n x n array (n a power of two). */
    static void fft2(double[] re, double[] im, int n) {
        double[] r = new double[n], i = new double[n];
        for (int y = 0; y < n; y++) {
            System.arraycopy(re, y * n, r, 0, n);
            System.arraycopy(im, y * n, i, 0, n);
            fft(r, i);
            System.arraycopy(r, 0, re, y * n, n);
            System.arraycopy(i, 0, im, y * n, n);
        }
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) { r[y] = re[y * n + x]; i[y] = im[y * n + x]; }
            fft(r, i);
            for (int y = 0; y < n; y++) { re[y * n + x] = r[y]; im[y * n + x] = i[y]; }
        }
    }

    static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double ang = -2 * Math.PI / len;
            double wr = Math.cos(ang), wi = Math.sin(ang);
            for (int s = 0; s < n; s += len) {
                double cr = 1, ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    int a = s + k, b = s + k + len / 2;
                    double xr = re[b] * cr - im[b] * ci, xi = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - xr; im[b] = im[a] - xi;
                    re[a] += xr; im[a] += xi;
                    double t = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = t;
                }
            }
        }
    }
}
