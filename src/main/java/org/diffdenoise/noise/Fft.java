package org.diffdenoise.noise;

/**
 * A small complex FFT for any length: iterative radix-2 for powers of two, Bluestein's chirp-z for the rest.
 * Forward is unnormalized (X_k = sum x_n e^{-2 pi i k n / N}); the inverse divides by N, so a round trip is exact up
 * to rounding. Used by the noise simulators (k-space, filtered back-projection, detector blur).
 */
public final class Fft {

    private Fft() {
    }

    /** In-place transform of (re, im), both of length n. */
    public static void transform(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        if (im.length != n) throw new IllegalArgumentException("re and im differ in length: " + n + " vs " + im.length);
        if (n <= 1) return;
        if (Integer.bitCount(n) == 1) radix2(re, im, inverse);
        else bluestein(re, im, inverse);
        if (inverse) {
            double s = 1.0 / n;
            for (int i = 0; i < n; i++) {
                re[i] *= s;
                im[i] *= s;
            }
        }
    }

    /** In-place 2D transform of a w x h row-major complex image: rows, then columns. */
    public static void transform2d(double[] re, double[] im, int w, int h, boolean inverse) {
        if (re.length != (long) w * h || im.length != re.length) throw new IllegalArgumentException("expected " + w + "x" + h + " values");
        double[] r = new double[w], i = new double[w];
        for (int y = 0; y < h; y++) {
            System.arraycopy(re, y * w, r, 0, w);
            System.arraycopy(im, y * w, i, 0, w);
            transform(r, i, inverse);
            System.arraycopy(r, 0, re, y * w, w);
            System.arraycopy(i, 0, im, y * w, w);
        }
        r = new double[h];
        i = new double[h];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                r[y] = re[y * w + x];
                i[y] = im[y * w + x];
            }
            transform(r, i, inverse);
            for (int y = 0; y < h; y++) {
                re[y * w + x] = r[y];
                im[y * w + x] = i[y];
            }
        }
    }

    /** The signed frequency index of bin k of an n-point transform: k for k < n/2 (rounded up), k - n above. */
    public static int signedIndex(int k, int n) {
        return k <= (n - 1) / 2 ? k : k - n;
    }

    static void radix2(double[] re, double[] im, boolean inverse) {
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
        double sign = inverse ? 1 : -1;
        for (int len = 2; len <= n; len <<= 1) {
            double ang = sign * 2 * Math.PI / len;
            double wr = Math.cos(ang), wi = Math.sin(ang);
            int half = len >> 1;
            for (int s = 0; s < n; s += len) {
                double cr = 1, ci = 0;
                for (int k = 0; k < half; k++) {
                    int a = s + k, b = a + half;
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

    // kn = (k^2 + n^2 - (k-n)^2) / 2, so X_k = c_k sum_n (x_n c_n) conj(c_{k-n}) with c_m = e^{-+i pi m^2 / N}: a
    // convolution, done with radix-2 FFTs of a power-of-two length >= 2N - 1
    static void bluestein(double[] re, double[] im, boolean inverse) {
        int n = re.length, m = Integer.highestOneBit(2 * n - 1) << 1;
        double sign = inverse ? 1 : -1;
        double[] cr = new double[n], ci = new double[n];
        for (int k = 0; k < n; k++) {
            long kk = (long) k * k % (2L * n); // exact angle reduction for large k
            double a = sign * Math.PI * kk / n;
            cr[k] = Math.cos(a);
            ci[k] = Math.sin(a);
        }
        double[] ar = new double[m], ai = new double[m], br = new double[m], bi = new double[m];
        for (int k = 0; k < n; k++) {
            ar[k] = re[k] * cr[k] - im[k] * ci[k];
            ai[k] = re[k] * ci[k] + im[k] * cr[k];
        }
        br[0] = cr[0];
        bi[0] = -ci[0];
        for (int k = 1; k < n; k++) {
            br[k] = br[m - k] = cr[k];
            bi[k] = bi[m - k] = -ci[k];
        }
        radix2(ar, ai, false);
        radix2(br, bi, false);
        for (int k = 0; k < m; k++) {
            double t = ar[k] * br[k] - ai[k] * bi[k];
            ai[k] = ar[k] * bi[k] + ai[k] * br[k];
            ar[k] = t;
        }
        radix2(ar, ai, true);
        double s = 1.0 / m;
        for (int k = 0; k < n; k++) {
            double xr = ar[k] * s, xi = ai[k] * s;
            re[k] = xr * cr[k] - xi * ci[k];
            im[k] = xr * ci[k] + xi * cr[k];
        }
    }
}
