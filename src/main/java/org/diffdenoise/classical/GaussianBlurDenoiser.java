package org.diffdenoise.classical;

import ij.plugin.filter.GaussianBlur;
import ij.process.FloatProcessor;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.noise.PoissonGaussianNoise;

/** Gaussian low-pass filter, ImageJ's {@link GaussianBlur} (kernel accuracy 0.002); strength = blur sigma in pixels. */
public final class GaussianBlurDenoiser extends ClassicalDenoiser {

    public GaussianBlurDenoiser(double blurSigma) {
        this(blurSigma, null);
    }

    private GaussianBlurDenoiser(double s, PoissonGaussianNoise n) {
        super(s, n);
    }

    @Override public String id() { return "gaussian"; }
    @Override public String method() { return "Gaussian blur (ImageJ GaussianBlur)"; }
    @Override public String strengthMeaning() { return "blur sigma px"; }
    @Override public ClassicalDenoiser withStrength(double s) { return new GaussianBlurDenoiser(s, xrayNoise); }
    @Override public ClassicalDenoiser withXrayNoise(PoissonGaussianNoise n) { return new GaussianBlurDenoiser(strength, n); }
    @Override public double[] tuningGrid() { return new double[] {0.35, 0.5, 0.7, 1.0, 1.4, 2.0}; }

    @Override
    protected FloatImage denoiseGaussian(FloatImage slice, double sigma) {
        FloatProcessor fp = new FloatProcessor(slice.width(), slice.height(), slice.data().clone());
        new GaussianBlur().blurGaussian(fp, strength, strength, 0.002);
        return new FloatImage(slice.width(), slice.height(), (float[]) fp.getPixels());
    }
}
