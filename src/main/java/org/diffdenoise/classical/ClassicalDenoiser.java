package org.diffdenoise.classical;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.noise.NoiseStatistics;
import org.diffdenoise.noise.PoissonGaussianNoise;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Common frame of the classical slice-by-slice baselines. The noise level is {@code settings.noiseSigma()}
 * (the benchmark passes the true value, i.e. oracle knowledge) or, when NaN, the Haar-MAD estimate per slice.
 * For Poisson–Gaussian X-ray with known gain and read noise, the slice is variance-stabilized by the generalized
 * Anscombe transform, denoised as Gaussian noise of sigma 1, and inverted ({@link GeneralizedAnscombe}).
 * Without those parameters X-ray is treated as Gaussian noise of the given sigma.
 */
public abstract class ClassicalDenoiser implements Denoiser {

    /** Method-specific strength (blur sigma, median radius, NLM h / sigma, TV lambda / sigma, threshold factor). */
    protected final double strength;
    /** Known Poisson–Gaussian parameters for X-ray, or null. */
    protected final PoissonGaussianNoise xrayNoise;

    protected ClassicalDenoiser(double strength, PoissonGaussianNoise xrayNoise) {
        if (!(strength > 0) || !Double.isFinite(strength))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": strength must be > 0, got " + strength);
        this.strength = strength;
        this.xrayNoise = xrayNoise;
    }

    /** Short identifier used in tables and JSON, e.g. "nlm". */
    public abstract String id();

    /** Paper reference and method, for provenance and the report. */
    public abstract String method();

    /** What {@link #strength()} means, e.g. "h / sigma". */
    public abstract String strengthMeaning();

    /** A copy with another strength. */
    public abstract ClassicalDenoiser withStrength(double s);

    /** A copy that applies the generalized Anscombe transform with these X-ray noise parameters. */
    public abstract ClassicalDenoiser withXrayNoise(PoissonGaussianNoise noise);

    /** The strengths tried when tuning, in the units of {@link #strengthMeaning()}. */
    public abstract double[] tuningGrid();

    public double strength() {
        return strength;
    }

    /** Denoises one slice with additive Gaussian noise of standard deviation {@code sigma}. */
    protected abstract FloatImage denoiseGaussian(FloatImage slice, double sigma);

    /**
     * Denoises one Rician MR magnitude slice. The default denoises the magnitude as if the noise were Gaussian and
     * then removes most of the Rician bias with the correction of Gudbjartsson and Patz (MRM 34, 1995):
     * A = sqrt(max(M^2 - sigma^2, 0)). Non-local means overrides this with its own unbiased estimator.
     */
    protected FloatImage denoiseRician(FloatImage slice, double sigma) {
        FloatImage m = denoiseGaussian(slice, sigma);
        float[] o = m.data().clone();
        double s2 = sigma * sigma;
        for (int i = 0; i < o.length; i++) o[i] = (float) Math.sqrt(Math.max((double) o[i] * o[i] - s2, 0));
        return new FloatImage(m.width(), m.height(), o);
    }

    /** Denoises one slice according to its noise family. */
    public FloatImage denoiseSlice(FloatImage slice, NoiseFamily family, double sigma) {
        if (family == NoiseFamily.POISSON_GAUSSIAN_XRAY && xrayNoise != null) {
            GeneralizedAnscombe gat = new GeneralizedAnscombe(xrayNoise.gain(), xrayNoise.readSigma());
            return gat.inverse(denoiseGaussian(gat.forward(slice), 1.0));
        }
        if (family == NoiseFamily.RICIAN_MR) return denoiseRician(slice, sigma);
        return denoiseGaussian(slice, sigma);
    }

    @Override
    public DenoiseResult denoise(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings,
                                 ProgressListener progress, CancelToken cancel) {
        List<FloatImage> slices = FloatImage.fromStack(stack);
        List<FloatImage> out = new ArrayList<>(slices.size());
        double[] sigmas = new double[slices.size()];
        for (int z = 0; z < slices.size(); z++) {
            cancel.throwIfCancelled();
            FloatImage s = slices.get(z);
            sigmas[z] = Double.isNaN(settings.noiseSigma()) ? NoiseStatistics.haarMadSigma(s) : settings.noiseSigma();
            // the strength scales the level worked at; the level reported stays the one estimated or given
            out.add(denoiseSlice(s, family, sigmas[z] * settings.strength()));
            progress.progress(id() + " slice " + (z + 1) + "/" + slices.size(), z + 1, slices.size());
        }
        return new DenoiseResult(FloatImage.toStack(out), null, sigmas, "CPU");
    }

    @Override
    public ModelDescriptor describe() {
        return new ModelDescriptor(method(), id(), String.format(Locale.ROOT, "%s=%.4g", strengthMeaning(), strength), "");
    }

    @Override
    public String toString() {
        return describe().toString();
    }
}
