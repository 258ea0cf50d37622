package org.diffdenoise.classical;

import org.diffdenoise.image.FloatImage;
import org.diffdenoise.noise.PoissonGaussianNoise;

/**
 * Total-variation denoising (Rudin–Osher–Fatemi model) solved with Chambolle's projection algorithm
 * (J. Math. Imaging Vis. 20, 2004): u = f - lambda div p, with the dual field p iterated as
 * p &lt;- (p + tau grad(div p - f / lambda)) / (1 + tau |grad(div p - f / lambda)|), tau = 1/8 (the step for which
 * the paper proves convergence), 100 iterations. lambda = strength * sigma; forward differences for the gradient
 * and their adjoint for the divergence, as in the paper.
 */
public final class TotalVariationDenoiser extends ClassicalDenoiser {
    public static final int ITERATIONS = 100;
    private static final double TAU = 0.125;

    public TotalVariationDenoiser(double lambdaOverSigma) {
        this(lambdaOverSigma, null);
    }

    private TotalVariationDenoiser(double s, PoissonGaussianNoise n) {
        super(s, n);
    }

    @Override public String id() { return "tv"; }
    @Override public String method() { return "total variation (Chambolle 2004 projection)"; }
    @Override public String strengthMeaning() { return "lambda/sigma"; }
    @Override public ClassicalDenoiser withStrength(double s) { return new TotalVariationDenoiser(s, xrayNoise); }
    @Override public ClassicalDenoiser withXrayNoise(PoissonGaussianNoise n) { return new TotalVariationDenoiser(strength, n); }
    @Override public double[] tuningGrid() { return new double[] {0.25, 0.35, 0.5, 0.7, 1.0, 1.4, 2.0}; }

    @Override
    protected FloatImage denoiseGaussian(FloatImage slice, double sigma) {
        int w = slice.width(), h = slice.height(), n = w * h;
        double lambda = Math.max(strength * sigma, 1e-12);
        float[] f = slice.data();
        double[] px = new double[n], py = new double[n], div = new double[n], g = new double[n];
        for (int it = 0; it < ITERATIONS; it++) {
            divergence(px, py, div, w, h);
            for (int i = 0; i < n; i++) g[i] = div[i] - f[i] / lambda;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    double gx = x < w - 1 ? g[i + 1] - g[i] : 0;
                    double gy = y < h - 1 ? g[i + w] - g[i] : 0;
                    double norm = 1 + TAU * Math.sqrt(gx * gx + gy * gy);
                    px[i] = (px[i] + TAU * gx) / norm;
                    py[i] = (py[i] + TAU * gy) / norm;
                }
            }
        }
        divergence(px, py, div, w, h);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (f[i] - lambda * div[i]);
        return new FloatImage(w, h, out);
    }

    /** The discrete divergence of Chambolle 2004, the negative adjoint of the forward-difference gradient. */
    private static void divergence(double[] px, double[] py, double[] div, int w, int h) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double dx = (x < w - 1 ? px[i] : 0) - (x > 0 ? px[i - 1] : 0);
                double dy = (y < h - 1 ? py[i] : 0) - (y > 0 ? py[i - w] : 0);
                div[i] = dx + dy;
            }
        }
    }
}
