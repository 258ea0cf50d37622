package org.diffdenoise.bench;

import org.diffdenoise.api.Denoiser;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.classical.ClassicalDenoiser;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.noise.GaussianNoise;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.noise.PoissonGaussianNoise;
import org.diffdenoise.noise.RicianNoise;
import org.diffdenoise.pipeline.DenoiserRegistry;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The experiment grid of the benchmark: which references, which noise levels per modality, which methods, and which
 * optional sections run.
 *
 * @param references   the reference images as loaded
 * @param crop         the central NxN the grid crops every reference to (0 = no crop)
 * @param baselines    the classical baselines, untuned
 * @param diffusion    the diffusion denoiser, or null (--denoiser none)
 * @param quick        the default, smaller run (fewer speed sizes and steps)
 * @param realSeries   whether the real noisy XA series runs
 * @param speed        whether the speed section runs
 * @param externalData folder with the fetched sample DICOM
 * @param work         scratch folder for the DICOM series
 * @param out          folder for the markdown report and the plots
 */
record BenchmarkPlan(List<BenchmarkData.Reference> references, int crop, List<ClassicalDenoiser> baselines,
                     Denoiser diffusion, boolean quick, boolean realSeries, boolean speed, Path externalData, Path work, Path out) {

    /** Noise levels per modality; relative to the reference's range. */
    static List<double[]> levels(String modality) {
        return switch (modality) {
            case "MR" -> List.of(new double[] {0.02}, new double[] {0.05}, new double[] {0.10});
            case "CT" -> List.of(new double[] {0.01}, new double[] {0.03});
            default -> List.of(new double[] {2e-4, 0.005}, new double[] {2e-3, 0.005}); // gain, read noise
        };
    }

    /** The noise seed of a reference's level {@code li} (the white-noise benchmark's and its realistic-protocol twin's). */
    static long noiseSeed(String reference, int li) {
        return 31L * reference.hashCode() + li;
    }

    static String levelLabel(String modality, double[] l) {
        return switch (modality) {
            case "MR" -> String.format(Locale.ROOT, "Rician %.0f%%", 100 * l[0]);
            case "CT" -> String.format(Locale.ROOT, "Gaussian %.0f%%", 100 * l[0]);
            default -> l[0] < 1e-3 ? "PG high dose" : "PG low dose";
        };
    }

    static NoiseModel noiseModel(String modality, double[] l, double range) {
        return switch (modality) {
            case "MR" -> new RicianNoise(l[0] * range);
            case "CT" -> new GaussianNoise(l[0] * range);
            default -> new PoissonGaussianNoise(l[0] * range, l[1] * range);
        };
    }

    /** Oracle noise sigma passed to the denoisers: the true sigma (MR, CT); NaN (estimate) for X-ray. */
    static double oracleSigma(NoiseModel m) {
        if (m instanceof RicianNoise r) return r.sigma();
        if (m instanceof GaussianNoise g) return g.sigma();
        return Double.NaN;
    }

    /** The baselines by name, from the product's registry (their strengths are tuned per level by {@link BaselineTuning}). */
    static List<ClassicalDenoiser> baselines(List<String> ids) {
        List<ClassicalDenoiser> out = new ArrayList<>();
        for (String id : ids) {
            DenoiserRegistry.Method m = DenoiserRegistry.method(id);
            if (m == DenoiserRegistry.Method.diffusion)
                throw new IllegalArgumentException("--methods takes the classical baselines (gaussian, median, nlm, tv, wavelet)");
            out.add(DenoiserRegistry.classical(m));
        }
        return out;
    }

    /** "default" (the shipped bundle), a bundle folder, or "none". */
    static Optional<Denoiser> diffusionDenoiser(String spec) {
        if (spec.equals("none")) return Optional.empty();
        try {
            return Optional.of(DenoiserRegistry.diffusion(spec.equals("default") ? null : Path.of(spec)));
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot load model bundle '" + spec + "': " + e.getMessage(), e.getCause());
        }
    }

    /** The reference cut to its central n x n, its source noting the crop. */
    static BenchmarkData.Reference cropped(BenchmarkData.Reference r, int n) {
        List<FloatImage> s = new ArrayList<>();
        for (FloatImage f : r.slices()) s.add(f.centerCrop(n, n));
        return new BenchmarkData.Reference(r.name(), r.modality(), r.source() + ", central " + n + "x" + n, s);
    }

    /** The id a method's rows carry: the baseline's id, or "diffusion". */
    static String methodId(Denoiser d) {
        return d instanceof ClassicalDenoiser c ? c.id() : "diffusion";
    }
}
