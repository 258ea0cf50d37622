package org.diffdenoise.noise;

import java.util.Arrays;

import org.diffdenoise.api.NoiseFamily;

/**
 * Estimates the noise level of one slice from the slice alone, per noise family. All methods work on the finest
 * Haar wavelet scale: for a 2x2 block (a b / c d) the diagonal detail HH = (a - b - c + d) / 2 has the pixel noise's
 * standard deviation when the noise is white, and is nearly blind to smooth structure. Blocks with strong horizontal
 * or vertical detail (LH^2 + HL^2 above the median) are left out; for white noise these are independent of HH, so
 * leaving them out removes texture without biasing the estimate. Perfectly flat blocks (masked or saturated areas)
 * and non-finite pixels are ignored.
 */
public final class NoiseLevelEstimator {

    /** MAD of a standard normal. */
    static final double MAD_NORMAL = 0.6744897501960817;
    /** Minimum number of blocks for a wavelet estimate. */
    static final int MIN_BLOCKS = 64;
    /** Smallest width and height whose noise is estimated. */
    public static final int MIN_SIZE = 32;
    /** Why an estimate is 0 when the image is too small or too flat to measure. */
    public static final String TOO_FEW_BLOCKS = "not measurable: fewer than " + MIN_BLOCKS + " textured 2x2 pixel blocks";
    /** Why an estimate is 0 when most fine-scale wavelet details are exactly 0 (noise below the stored step). */
    public static final String NO_DETAIL = "no measurable noise: most fine-scale wavelet details are exactly 0 "
            + "(noise below the stored-value step, e.g. a lossy-compressed or filtered image)";
    /** Rician foreground: blocks whose mean is at least this many sigmas, where Rician noise is nearly Gaussian. */
    static final double RICIAN_MIN_SNR = 5;
    /** Background fit: Rayleigh values are fitted below this many sigmas. */
    static final double RAYLEIGH_CUT = 2;

    private NoiseLevelEstimator() {
    }

    /** Estimates the noise of {@code image} (w x h, row-major, modality units) for a noise family. */
    public static NoiseEstimate estimate(float[] image, int w, int h, NoiseFamily family) {
        if (image.length != (long) w * h) throw new IllegalArgumentException("image has " + image.length + " values, expected " + w + "x" + h);
        if (w < MIN_SIZE || h < MIN_SIZE) {
            // a thumbnail's fine detail is mostly structure: its "noise" would be overestimated and smoothed away
            return new NoiseEstimate(0, 0, 0, "not measurable: image smaller than " + MIN_SIZE + "x" + MIN_SIZE + " pixels");
        }
        switch (family) {
            case RICIAN_MR:
                return rician(image, w, h);
            case POISSON_GAUSSIAN_XRAY:
                return poissonGaussian(image, w, h);
            default:
                return gaussian(image, w, h);
        }
    }

    /**
     * Haar coefficients of the finest scale, one entry per usable 2x2 block: HH, LH^2 + HL^2, the block mean and the
     * mean of the 4x4 neighbourhood around the block (null unless asked for: only the X-ray fit bins by it).
     */
    record Blocks(int n, float[] hh, float[] detail, float[] mean, float[] local) {
    }

    static Blocks blocks(float[] img, int w, int h, boolean withLocal) {
        if (img.length != (long) w * h) throw new IllegalArgumentException("image has " + img.length + " values, expected " + w + "x" + h);
        int cap = (w / 2) * (h / 2);
        float[] hh = new float[cap], det = new float[cap], mean = new float[cap], local = withLocal ? new float[cap] : null;
        int n = 0;
        for (int r = 0; r + 1 < h; r += 2) {
            for (int c = 0; c + 1 < w; c += 2) {
                float a = img[r * w + c], b = img[r * w + c + 1], cc = img[(r + 1) * w + c], d = img[(r + 1) * w + c + 1];
                // all four finite: x - x is 0 exactly for finite x and NaN for NaN and infinities (no call per pixel
                // for the first slice, which runs this interpreted)
                if (!((a - a) + (b - b) + (cc - cc) + (d - d) == 0)) continue;
                if (a == b && b == cc && cc == d) continue;
                double lh = (a + b - cc - d) / 2.0, hl = (a - b + cc - d) / 2.0;
                hh[n] = (float) ((a - b - cc + d) / 2.0);
                det[n] = (float) (lh * lh + hl * hl);
                mean[n] = (a + b + cc + d) / 4f;
                if (withLocal) local[n] = localMean(img, w, h, r, c);
                n++;
            }
        }
        return new Blocks(n, hh, det, mean, local);
    }

    /** Donoho's MAD of HH over the smoothest half of the selected blocks; NaN when too few. */
    static double madSigma(Blocks b, boolean[] use) {
        // arrays in locals: the first slice runs these loops interpreted, where each accessor call costs
        int total = b.n();
        float[] detail = b.detail(), hh = b.hh();
        int n = 0;
        for (int i = 0; i < total; i++) if (use == null || use[i]) n++;
        if (n < MIN_BLOCKS) return Double.NaN;
        float[] det = new float[n];
        for (int i = 0, k = 0; i < total; i++) if (use == null || use[i]) det[k++] = detail[i];
        double detMedian = OrderStatistics.medianInPlace(det, n);
        float[] abs = det; // the details are no longer needed: reuse their buffer
        int m = 0;
        for (int i = 0; i < total; i++)
            if ((use == null || use[i]) && detail[i] <= detMedian) abs[m++] = Math.abs(hh[i]);
        if (m < MIN_BLOCKS / 2) return Double.NaN;
        return OrderStatistics.medianInPlace(abs, m) / MAD_NORMAL;
    }

    /**
     * As {@link #madSigma(Blocks, boolean[])} over the blocks {@code idx[from..to)}: a median does not depend on the
     * order its values come in, so this equals the flag form for the same set of blocks.
     */
    static double madSigma(Blocks b, int[] idx, int from, int to) {
        int n = to - from;
        if (n < MIN_BLOCKS) return Double.NaN;
        float[] detail = b.detail(), hh = b.hh();
        float[] det = new float[n];
        for (int i = from; i < to; i++) det[i - from] = detail[idx[i]];
        double detMedian = OrderStatistics.medianInPlace(det, n);
        float[] abs = det;
        int m = 0;
        for (int i = from; i < to; i++)
            if (detail[idx[i]] <= detMedian) abs[m++] = Math.abs(hh[idx[i]]);
        if (m < MIN_BLOCKS / 2) return Double.NaN;
        return OrderStatistics.medianInPlace(abs, m) / MAD_NORMAL;
    }

    /** Additive Gaussian noise (CT): wavelet MAD over the smooth blocks. */
    public static NoiseEstimate gaussian(float[] img, int w, int h) {
        double s = madSigma(blocks(img, w, h, false), null);
        if (Double.isNaN(s)) return new NoiseEstimate(0, 0, 0, TOO_FEW_BLOCKS);
        if (s == 0) return new NoiseEstimate(0, 0, 0, "gaussian: " + NO_DETAIL);
        return new NoiseEstimate(s, 0, s, "gaussian: wavelet MAD (Haar HH, smooth blocks)");
    }

    /**
     * Rician noise of MR magnitude images. Two independent measurements:
     * <ul>
     * <li>foreground: the wavelet MAD restricted to blocks brighter than {@value #RICIAN_MIN_SNR} sigma, where the
     *     Rician distribution is close to a Gaussian of the same sigma (iterated from the all-block value);</li>
     * <li>background: a Rayleigh fit to the dark pixels. For pixels below c = {@value #RAYLEIGH_CUT} sigma the
     *     truncated Rayleigh second moment is E[m^2 | m < c] = 2 sigma^2 - c^2 q / (1 - q), q = exp(-c^2 / 2 sigma^2),
     *     which is solved for sigma and iterated with c following sigma. Exact zeros (masked pixels) are ignored.</li>
     * </ul>
     * When a background exists (enough dark pixels) and its value agrees with the foreground within a factor 1.5,
     * the estimate is the mean of the two (they err independently); otherwise the foreground value alone. The wavelet MAD over all blocks would be biased low by the
     * background, where Rayleigh fluctuations have only 0.66 sigma.
     */
    public static NoiseEstimate rician(float[] img, int w, int h) {
        Blocks b = blocks(img, w, h, false);
        double all = madSigma(b, null);
        if (Double.isNaN(all)) return new NoiseEstimate(0, 0, 0, "rician: " + TOO_FEW_BLOCKS);
        if (all == 0) return new NoiseEstimate(0, 0, 0, "rician: " + NO_DETAIL);
        double fg = all;
        boolean[] use = new boolean[b.n()];
        // a threshold in (below, atOrAbove] selects the blocks the last one did, so it would give the same fg again
        // and so would every later iteration: stop there
        double below = Double.NaN, atOrAbove = Double.NaN;
        float[] means = b.mean();
        for (int it = 0; it < 4; it++) {
            double t = RICIAN_MIN_SNR * fg;
            if (below < t && t <= atOrAbove) break;
            below = Double.NEGATIVE_INFINITY;
            atOrAbove = Double.POSITIVE_INFINITY;
            for (int i = 0; i < use.length; i++) {
                float m = means[i];
                use[i] = m >= t;
                if (use[i]) {
                    if (m < atOrAbove) atOrAbove = m;
                } else if (m > below) {
                    below = m;
                }
            }
            double s = madSigma(b, use);
            if (Double.isNaN(s)) break;
            fg = s;
        }
        double bg = rayleighBackground(img, fg);
        if (!Double.isNaN(bg) && bg > fg / 1.5 && bg < fg * 1.5) {
            double s = 0.5 * (bg + fg);
            return new NoiseEstimate(s, 0, s, "rician: mean of background Rayleigh fit " + fmt(bg) + " and foreground wavelet MAD " + fmt(fg));
        }
        return new NoiseEstimate(fg, 0, fg, "rician: foreground wavelet MAD" + (Double.isNaN(bg) ? "" : " (background " + fmt(bg) + " rejected)"));
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }

    /** Truncated-Rayleigh fit of the dark pixels starting from {@code sigma0}; NaN when there is no background. */
    static double rayleighBackground(float[] img, double sigma0) {
        double sigma = sigma0;
        // the iterations read only the dark pixels: keep those below a cut with headroom (in image order, so the sums
        // add the same values in the same order as a pass over the whole image) and collect again if c outgrows it;
        // the first collection shares its pass with the count of finite positive pixels
        double darkCut = 1.5 * (RAYLEIGH_CUT * sigma);
        float[] dark = new float[img.length];
        int nDark = 0, finite = 0;
        for (float v : img) {
            if (v > 0 && v <= Float.MAX_VALUE) { // finite and positive
                finite++;
                if (v < darkCut) dark[nDark++] = v;
            }
        }
        if (finite == 0) return Double.NaN;
        // c often moves without crossing a pixel value (the iteration can settle into a small oscillation): any c in
        // (largest included value, smallest excluded value] selects the same pixels, so their sum is reused as it was
        int cached = 0;
        double[] includedMax = new double[30], excludedMin = new double[30], sums = new double[30];
        int[] counts = new int[30];
        for (int it = 0; it < 30; it++) {
            double c = RAYLEIGH_CUT * sigma;
            int hit = -1;
            for (int e = 0; e < cached && hit < 0; e++) if (includedMax[e] < c && c <= excludedMin[e]) hit = e;
            double sum2;
            int n;
            if (hit >= 0) {
                sum2 = sums[hit];
                n = counts[hit];
            } else {
                if (!(c <= darkCut)) {
                    darkCut = 1.5 * c;
                    nDark = 0;
                    for (float v : img) if (v > 0 && v < darkCut) dark[nDark++] = v;
                }
                sum2 = 0;
                n = 0;
                double in = Double.NEGATIVE_INFINITY, out = darkCut;
                for (int k = 0; k < nDark; k++) {
                    float v = dark[k];
                    if (v < c) {
                        sum2 += (double) v * v;
                        n++;
                        if (v > in) in = v;
                    } else if (v < out) {
                        out = v;
                    }
                }
                includedMax[cached] = in;
                excludedMin[cached] = out;
                sums[cached] = sum2;
                counts[cached] = n;
                cached++;
            }
            // a background must be a sizeable, Rayleigh-like population
            if (n < Math.max(500, 0.02 * finite)) return Double.NaN;
            double s = solveTruncatedRayleigh(sum2 / n, c);
            if (Double.isNaN(s)) return Double.NaN;
            if (Math.abs(s - sigma) < 1e-4 * sigma) return s;
            sigma = s;
        }
        return sigma;
    }

    /** sigma with E[m^2 | m < c] = meanSq for a Rayleigh(sigma); NaN when no sigma fits. */
    static double solveTruncatedRayleigh(double meanSq, double c) {
        if (!(meanSq > 0) || meanSq >= c * c / 2) return Double.NaN; // c^2/2: the sigma -> infinity limit
        double lo = 1e-6 * c, hi = 1e3 * c;
        for (int i = 0; i < 200; i++) {
            double mid = Math.sqrt(lo * hi);
            if (truncatedRayleighMeanSq(mid, c) < meanSq) {
                if (mid == lo) break; // nothing moved: every further step would repeat this one
                lo = mid;
            } else {
                if (mid == hi) break;
                hi = mid;
            }
        }
        return Math.sqrt(lo * hi);
    }

    static double truncatedRayleighMeanSq(double sigma, double c) {
        double x = c * c / (2 * sigma * sigma);
        double q = Math.exp(-x);
        double oneMinusQ = -Math.expm1(-x);
        return 2 * sigma * sigma - c * c * q / oneMinusQ;
    }

    /**
     * Poisson–Gaussian noise (X-ray): var = gain * max(x, 0) + read^2 fitted to (local mean, local variance) pairs.
     * Blocks are grouped into equal-count bins of local mean (4x4 neighbourhood); in each bin the variance is the
     * squared wavelet MAD of the smooth half; a line is fitted by weighted least squares (weights count / var^2,
     * the inverse variance of a variance estimate), with bins more than 3 robust deviations off the line dropped
     * and refitted (Foi et al. 2008 in spirit). Gain and read^2 are constrained to be non-negative.
     */
    public static NoiseEstimate poissonGaussian(float[] img, int w, int h) {
        Blocks b = blocks(img, w, h, true);
        if (b.n() < 4 * MIN_BLOCKS) {
            NoiseEstimate g = gaussian(img, w, h);
            return new NoiseEstimate(g.sigma(), 0, g.sigma(), "poisson-gaussian: too small, " + g.method());
        }
        // local mean over the 4x4 neighbourhood of each block: smoother than the block mean, so the binning is not
        // driven by the noise itself
        float[] local = b.local();
        int nb = Math.max(4, Math.min(32, b.n() / 2000));
        int[] order = orderByValue(local, b.n());
        double[] xs = new double[nb], vs = new double[nb], ws = new double[nb];
        int bins = 0;
        for (int k = 0; k < nb; k++) {
            int from = (int) ((long) b.n() * k / nb), to = (int) ((long) b.n() * (k + 1) / nb);
            double s = madSigma(b, order, from, to);
            if (Double.isNaN(s) || s == 0) continue;
            float[] mu = new float[to - from];
            for (int i = from; i < to; i++) mu[i - from] = local[order[i]];
            xs[bins] = OrderStatistics.medianInPlace(mu, mu.length);
            vs[bins] = s * s;
            ws[bins] = (to - from) / (s * s * s * s);
            bins++;
        }
        if (bins < 2) {
            NoiseEstimate g = gaussian(img, w, h);
            return new NoiseEstimate(g.sigma(), 0, g.sigma(), "poisson-gaussian: no fit, " + g.method());
        }
        double[] fit = fitLine(xs, vs, ws, bins);
        for (int round = 0; round < 2; round++) {
            double[] res = new double[bins];
            for (int k = 0; k < bins; k++) res[k] = Math.abs(vs[k] - (fit[0] * Math.max(xs[k], 0) + fit[1])) / vs[k];
            double mad = medianD(res.clone());
            for (int k = 0; k < bins; k++) if (res[k] > 3 * Math.max(mad, 0.02) / MAD_NORMAL) ws[k] = 0;
            fit = fitLine(xs, vs, ws, bins);
        }
        double gain = fit[0], read = Math.sqrt(fit[1]);
        double meanPos = 0;
        int n = 0;
        for (float v : img) if (Float.isFinite(v)) { meanPos += Math.max(v, 0); n++; }
        meanPos /= Math.max(1, n);
        double sigma = Math.sqrt(gain * meanPos + fit[1]);
        return new NoiseEstimate(sigma, gain, read, "poisson-gaussian: binned wavelet variance, weighted line fit (" + bins + " bins)");
    }

    /** Weighted least squares var = a max(x,0) + b with a, b >= 0. */
    static double[] fitLine(double[] x, double[] v, double[] wt, int n) {
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int k = 0; k < n; k++) {
            double xx = Math.max(x[k], 0);
            sw += wt[k]; sx += wt[k] * xx; sy += wt[k] * v[k]; sxx += wt[k] * xx * xx; sxy += wt[k] * xx * v[k];
        }
        double det = sw * sxx - sx * sx;
        double a = det > 0 ? (sw * sxy - sx * sy) / det : 0;
        double b = sw > 0 ? (sy - a * sx) / sw : 0;
        if (a < 0) { a = 0; b = sw > 0 ? sy / sw : 0; }
        if (b < 0) { b = 0; a = sxx > 0 ? Math.max(0, sxy / sxx) : 0; }
        return new double[] {a, b};
    }

    /** Mean of the finite pixels in rows r-1..r+2, columns c-1..c+2 (clipped to the image). */
    private static float localMean(float[] img, int w, int h, int r, int c) {
        double s = 0;
        int k = 0;
        for (int rr = Math.max(0, r - 1); rr <= Math.min(h - 1, r + 2); rr++)
            for (int c2 = Math.max(0, c - 1); c2 <= Math.min(w - 1, c + 2); c2++) {
                float v = img[rr * w + c2];
                if (Float.isFinite(v)) { s += v; k++; }
            }
        return (float) (s / k);
    }

    /**
     * The indices 0..n-1 ordered by {@code v} ascending ({@link Float#compare} order), equal values by index: the order
     * a stable sort of boxed indices gives, from one primitive sort of (value, index) keys.
     */
    static int[] orderByValue(float[] v, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(v[i]);
            bits ^= (bits >> 31) & 0x7fffffff; // negative floats: reverse their magnitude order, so ints order as floats
            keys[i] = ((long) bits << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = (int) keys[i];
        return order;
    }

    /** Median of {@code v[0..n)} ({@code v} unchanged); for even n the mean of the two middle values. */
    static double median(float[] v, int n) {
        return OrderStatistics.medianInPlace(Arrays.copyOf(v, n), n);
    }

    static double medianD(double[] v) {
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }
}
