package org.diffdenoise.classical;

import org.diffdenoise.image.FloatImage;

/**
 * Generalized Anscombe transform for Poisson–Gaussian noise z = alpha * Poisson(x / alpha) + N(0, s^2)
 * (Starck, Murtagh and Bijaoui 1998): f(z) = (2 / alpha) sqrt(alpha z + 3/8 alpha^2 + s^2), which makes the noise
 * approximately unit-variance Gaussian. The inverse is the closed-form approximation of the exact unbiased inverse
 * of Makitalo and Foi (IEEE TIP 22(1), 2013), which avoids the bias of the algebraic inverse at low counts.
 */
public final class GeneralizedAnscombe {
    private static final double S32 = Math.sqrt(1.5);
    private final double alpha, sigma;

    /** @param alpha variance per unit signal (the gain); @param sigma standard deviation of the Gaussian part */
    public GeneralizedAnscombe(double alpha, double sigma) {
        if (!(alpha > 0)) throw new IllegalArgumentException("the Anscombe transform needs a positive gain, got " + alpha);
        this.alpha = alpha;
        this.sigma = sigma;
    }

    public double forward(double z) {
        return 2.0 / alpha * Math.sqrt(Math.max(alpha * z + 0.375 * alpha * alpha + sigma * sigma, 0));
    }

    public double inverse(double d) {
        double s2 = (sigma / alpha) * (sigma / alpha);
        // Below the transform of a zero signal the closed form diverges (terms in 1/D^3); the unbiased inverse is 0.
        if (d <= 2 * Math.sqrt(0.375 + s2)) return 0;
        double y = 0.25 * d * d + 0.25 * S32 / d - 11.0 / 8.0 / (d * d) + 0.625 * S32 / (d * d * d) - 0.125 - s2;
        return alpha * Math.max(y, 0);
    }

    public FloatImage forward(FloatImage im) {
        float[] o = new float[im.data().length];
        for (int i = 0; i < o.length; i++) o[i] = (float) forward(im.data()[i]);
        return new FloatImage(im.width(), im.height(), o);
    }

    public FloatImage inverse(FloatImage im) {
        float[] o = new float[im.data().length];
        for (int i = 0; i < o.length; i++) o[i] = (float) inverse(im.data()[i]);
        return new FloatImage(im.width(), im.height(), o);
    }
}
