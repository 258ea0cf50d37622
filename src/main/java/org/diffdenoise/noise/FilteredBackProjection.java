package org.diffdenoise.noise;

import java.util.Arrays;

/**
 * Filtered back-projection with a {@link FbpKernel} on a {@link ParallelBeamProjector}: each view is filtered with the
 * kernel (by FFT, zero-padded against wrap-around) and back-projected, giving attenuation in 1/mm. Also carries
 * independent per-ray variances through the same linear steps to an exact per-pixel variance.
 */
final class FilteredBackProjection {
    private final FbpKernel kernel;
    private final ParallelBeamProjector projector;

    FilteredBackProjection(FbpKernel kernel, ParallelBeamProjector projector) {
        this.kernel = kernel;
        this.projector = projector;
    }

    /** Frequency response of {@code kernel} on an m-point grid: the DFT of the discrete ramp times the window. */
    static double[] response(FbpKernel kernel, int m) {
        double[] re = new double[m], im = new double[m];
        re[0] = 0.25;
        for (int n = 1; n < m / 2; n += 2) {
            double v = -1 / (Math.PI * Math.PI * n * n);
            re[n] = v;
            re[m - n] = v;
        }
        Fft.transform(re, im, false);
        for (int k = 0; k < m; k++) re[k] *= kernel.window(Math.abs(Fft.signedIndex(k, m)) / (double) m);
        return re; // real and even
    }

    /** The kernel's spatial taps (real, circular, length m). */
    static double[] taps(FbpKernel kernel, int m) {
        double[] re = response(kernel, m), im = new double[m];
        Fft.transform(re, im, true);
        return re;
    }

    // FFT length: a power of two at least twice the detector, so that the circular filter does not wrap
    private int padded() {
        return Integer.highestOneBit(2 * projector.bins - 1) << 1;
    }

    /** The reconstruction (1/mm) of line integrals {@code p} [view][bin] on pixels of {@code pixelMm}. */
    double[] reconstruct(double[][] p, double pixelMm) {
        return projector.backproject(filter(p), Math.PI / projector.views / pixelMm);
    }

    private double[][] filter(double[][] dp) {
        int m = padded(), bins = projector.bins;
        double[] hResp = response(kernel, m);
        double[][] q = new double[projector.views][];
        double[] re = new double[m], im = new double[m];
        for (int v = 0; v < projector.views; v++) {
            Arrays.fill(re, 0);
            Arrays.fill(im, 0);
            System.arraycopy(dp[v], 0, re, 0, bins);
            Fft.transform(re, im, false);
            for (int k = 0; k < m; k++) {
                re[k] *= hResp[k];
                im[k] *= hResp[k];
            }
            Fft.transform(re, im, true);
            q[v] = Arrays.copyOf(re, bins);
        }
        return q;
    }

    /**
     * Per-pixel variance (1/mm^2) of the reconstruction of independent rays with variances {@code rayVariance}
     * [view][bin]: per view, the variances convolved with the squared taps (bin variances) and with the products of
     * neighbouring taps (covariances of neighbouring bins), back-projected with the squared interpolation weights.
     */
    double[] variance(double[][] rayVariance, double pixelMm) {
        int m = padded(), bins = projector.bins;
        double[] taps = taps(kernel, m);
        // squared taps and products of neighbouring taps, as circular kernels: V = var (*) g^2, C = var (*) g g(+1)
        double[] g2r = new double[m], g2i = new double[m], gcr = new double[m], gci = new double[m];
        for (int k = 0; k < m; k++) {
            g2r[k] = taps[k] * taps[k];
            gcr[k] = taps[k] * taps[(k + 1) % m];
        }
        Fft.transform(g2r, g2i, false);
        Fft.transform(gcr, gci, false);
        double[] out = new double[projector.w * projector.h];
        double scale = Math.pow(Math.PI / projector.views / pixelMm, 2);
        double[] sr = new double[m], si = new double[m];
        double[][] conv = new double[2][];
        for (int v = 0; v < projector.views; v++) {
            Arrays.fill(sr, 0);
            Arrays.fill(si, 0);
            System.arraycopy(rayVariance[v], 0, sr, 0, bins);
            Fft.transform(sr, si, false);
            for (int kind = 0; kind < 2; kind++) {
                double[] kr = kind == 0 ? g2r : gcr, ki = kind == 0 ? g2i : gci;
                double[] re = new double[m], im = new double[m];
                for (int k = 0; k < m; k++) {
                    re[k] = sr[k] * kr[k] - si[k] * ki[k];
                    im[k] = sr[k] * ki[k] + si[k] * kr[k];
                }
                Fft.transform(re, im, true);
                conv[kind] = re;
            }
            // C_k = cov(q_k, q_{k+1}) = sum_n var_n g_{k-n} g_{k+1-n}: the (*) g g(+1) convolution read at k
            projector.backprojectVariance(v, conv[0], conv[1], out);
        }
        for (int i = 0; i < out.length; i++) out[i] *= scale;
        return out;
    }
}
