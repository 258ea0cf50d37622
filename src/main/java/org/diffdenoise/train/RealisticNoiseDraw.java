package org.diffdenoise.train;

import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.noise.CtProjectionNoise;
import org.diffdenoise.noise.FbpKernel;
import org.diffdenoise.noise.MrKspaceNoise;
import org.diffdenoise.noise.NoiseSimulator;
import org.diffdenoise.noise.XrayDetectorNoise;

/**
 * Draws a physical noise simulator for a training patch (normalized units) at a requested rms noise level: CT
 * projection-domain noise (any of the four kernels, the patch taken as 0.5-1 mm pixels of a body 10-30 cm across),
 * MR k-space noise (half of them zero-filled 1.2-2x, half multi-coil with 4-32 coils, 60 % with a g-factor map of
 * R = 1.5-4) or flat-panel X-ray noise (detector PSF 0.5-1.5 pixels, 5-50 % read noise). Shares: MR 45 %, CT 35 %,
 * X-ray 20 %.
 */
record RealisticNoiseDraw(NoiseFamily family, NoiseSimulator simulator, double ctSigma) {

    /** Simulates the patch (CT at the drawn level in the same pass as its dose). */
    org.diffdenoise.noise.NoiseRealization simulate(float[] clean, int size, SplittableRandom rng) {
        return simulator instanceof CtProjectionNoise ct ? ct.simulate(clean, size, size, ctSigma, rng) : simulator.simulate(clean, size, size, rng);
    }

    /** Share of MR draws; the caller decides (MR patches get air regions before the noise). */
    static final double MR_SHARE = 0.45;

    /** @param family the family to draw, or null: CT or X-ray (MR is the caller's decision, {@link #MR_SHARE}) */
    static RealisticNoiseDraw draw(SplittableRandom rng, float[] clean, int size, double sigma, NoiseFamily family) {
        double u = rng.nextDouble();
        if (family == NoiseFamily.RICIAN_MR) {
            double zf = rng.nextBoolean() ? 1 : 1.2 + 0.8 * rng.nextDouble();
            int coils = rng.nextBoolean() ? 1 : new int[] {4, 8, 16, 32}[rng.nextInt(4)];
            double r = rng.nextDouble() < 0.4 ? 1 : 1.5 + 2.5 * rng.nextDouble();
            MrKspaceNoise probe = new MrKspaceNoise(1, zf, coils, r);
            // sigma is the level at g = 1: aim the map's typical value (about the mid g) at the drawn level
            double s = sigma * 2 / (1 + probe.maxGFactor());
            return new RealisticNoiseDraw(NoiseFamily.RICIAN_MR, new MrKspaceNoise(s, zf, coils, r), Double.NaN);
        }
        if (family == null ? u < 0.35 / 0.55 : family == NoiseFamily.GAUSSIAN_CT) {
            FbpKernel k = FbpKernel.values()[rng.nextInt(FbpKernel.values().length)];
            // normalized 0..1 -> about -1000..+200 HU (air to dense soft tissue), with some spread
            double huPerUnit = 900 + 500 * rng.nextDouble(), huOffset = -1000 + 200 * (rng.nextDouble() - 0.5);
            CtProjectionNoise ct = new CtProjectionNoise(k, CtProjectionNoise.ROUTINE_I0, CtProjectionNoise.ELECTRONIC_NOISE,
                    0.5 + 0.5 * rng.nextDouble(), huPerUnit, huOffset, 100 + 200 * rng.nextDouble());
            return new RealisticNoiseDraw(NoiseFamily.GAUSSIAN_CT, ct, sigma);
        }
        double readShare = 0.05 + 0.45 * rng.nextDouble(), psf = 0.5 + rng.nextDouble();
        return new RealisticNoiseDraw(NoiseFamily.POISSON_GAUSSIAN_XRAY,
                XrayDetectorNoise.withTargetSigma(clean, size, size, sigma, readShare, psf), Double.NaN);
    }

    /**
     * Where inference's normalization (0.5th percentile of the noisy series -> 0) puts zero magnitude, in sigmas, for
     * root-sum-of-squares over {@code coils} coils: the 0.5th percentile of a chi distribution with 2 x coils degrees
     * of freedom (Wilson-Hilferty), about 0.1 for one coil, 1.2 for 4 and 6.3 for 32.
     */
    static double airPercentile(int coils) {
        double k = 2.0 * coils, z = -2.576;
        double c = 1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k));
        return Math.sqrt(Math.max(0.01, k * c * c * c));
    }
}
