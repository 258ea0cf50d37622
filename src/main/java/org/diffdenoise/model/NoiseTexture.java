package org.diffdenoise.model;

import java.util.Set;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.noise.NoiseField;

/**
 * The network's texture input: two numbers per slice that say how the noise is correlated, taken from the measured
 * {@link NoiseField} so training and inference compute them the same way. Zero for white noise (and for a sigma the
 * user gave, and for MR, see {@link #FAMILIES}); correlated noise (CT kernels, detector blur) moves both away from zero.
 *
 * <ol>
 *   <li>ln of the scale-2/scale-1 diagonal Haar variance ratio ({@link NoiseField#correlation()}, 1 for white noise),
 *       clamped to [-1, 4];</li>
 *   <li>ln of the finest scale's share of the noise variance over white noise's 3/4 ({@link NoiseField#scaleEnergy()}),
 *       clamped to [-4, 1].</li>
 * </ol>
 */
public final class NoiseTexture {

    /** How many numbers describe the texture. */
    public static final int CHANNELS = 2;
    /** The finest Haar scale's share of white noise's variance. */
    static final double WHITE_FINEST_SHARE = 0.75;

    private NoiseTexture() {
    }

    /** The descriptor of white noise (all zero): what a network sees when the user gives sigma. */
    public static float[] white() {
        return new float[CHANNELS];
    }

    /**
     * The noise families whose texture the network is given; the others get {@link #white()}. MR magnitude is left
     * out: every texture-conditioned network trained so far (runs h to k, docs/model.md) denoised the realistic MR
     * cases worse than the white-noise network, which already beats the classical methods there, while on CT and
     * X-ray the texture paid.
     */
    public static final Set<NoiseFamily> FAMILIES = Set.of(NoiseFamily.GAUSSIAN_CT, NoiseFamily.POISSON_GAUSSIAN_XRAY);

    /** The descriptor of a measured noise field of {@code family}: white for families outside {@link #FAMILIES}. */
    public static float[] of(NoiseField field, NoiseFamily family) {
        return FAMILIES.contains(family) ? of(field) : white();
    }

    private static float[] of(NoiseField field) {
        float[] d = new float[CHANNELS];
        d[0] = logClamped(field.correlation(), -1, 4);
        double[] shares = field.scaleEnergy();
        d[1] = shares.length == 0 ? 0 : logClamped(shares[0] / WHITE_FINEST_SHARE, -4, 1);
        return d;
    }

    private static float logClamped(double v, double lo, double hi) {
        if (!(v > 0) || !Double.isFinite(v)) return 0;
        return (float) Math.max(lo, Math.min(hi, Math.log(v)));
    }
}
