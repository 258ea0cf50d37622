package org.diffdenoise.classical;

import ij.plugin.filter.RankFilters;
import ij.process.FloatProcessor;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.noise.PoissonGaussianNoise;

/** Median filter over a circular kernel, ImageJ's {@link RankFilters}; strength = kernel radius in pixels. */
public final class MedianDenoiser extends ClassicalDenoiser {

    public MedianDenoiser(double radius) {
        this(radius, null);
    }

    private MedianDenoiser(double r, PoissonGaussianNoise n) {
        super(r, n);
    }

    @Override public String id() { return "median"; }
    @Override public String method() { return "median filter (ImageJ RankFilters)"; }
    @Override public String strengthMeaning() { return "radius px"; }
    @Override public ClassicalDenoiser withStrength(double s) { return new MedianDenoiser(s, xrayNoise); }
    @Override public ClassicalDenoiser withXrayNoise(PoissonGaussianNoise n) { return new MedianDenoiser(strength, n); }
    @Override public double[] tuningGrid() { return new double[] {0.5, 1.0, 1.5, 2.0, 3.0}; }

    @Override
    protected FloatImage denoiseGaussian(FloatImage slice, double sigma) {
        FloatProcessor fp = new FloatProcessor(slice.width(), slice.height(), slice.data().clone());
        new RankFilters().rank(fp, strength, RankFilters.MEDIAN);
        return new FloatImage(slice.width(), slice.height(), (float[]) fp.getPixels());
    }
}
