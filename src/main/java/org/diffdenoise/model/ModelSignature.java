package org.diffdenoise.model;

import java.util.List;

import org.diffdenoise.api.NoiseFamily;

/**
 * The network's signature in one place: its input and output names, how many conditioning channels it takes, and which
 * noise family is which position of its one-hot family input (an explicit list, so reordering {@link NoiseFamily}
 * cannot silently change it).
 */
public final class ModelSignature {

    /** Input and output names of the SavedModel signature (and of the graph that {@code model.tf} builds). */
    public static final String X_T = "x_t", COND = "cond", T = "t", ALPHA_BAR = "alpha_bar", FAMILY = "family",
            TEXTURE = "texture", X0 = "x0";

    /** Conditioning channels, channels last: the noisy slice, the previous slice, the next slice, the sigma map. */
    public static final int CONDITION_CHANNELS = 4;

    /** What the conditioning channels are, in order (for messages). */
    public static final String CONDITION_MEANING = "noisy slice, previous, next, sigma map";

    /** The noise families in the order of the one-hot family input this project's networks were trained with. */
    public static final List<NoiseFamily> FAMILIES = List.of(NoiseFamily.RICIAN_MR, NoiseFamily.POISSON_GAUSSIAN_XRAY,
            NoiseFamily.GAUSSIAN_CT);

    /** Width of the one-hot family input. */
    public static final int FAMILY_CHANNELS = FAMILIES.size();

    /**
     * Width of the texture the pipeline computes and networks built now take (networks since issue 14's run i): per
     * slice, what {@link NoiseTexture} says about the noise's spatial correlation. A network trained with a narrower
     * texture (the first {@code k} numbers, see {@link #acceptsTextureWidth}) takes those; networks without it were
     * trained on white noise conditioning only.
     */
    public static final int TEXTURE_CHANNELS = NoiseTexture.CHANNELS;

    /** Whether a network's texture input may be {@code k} wide: it then takes the first {@code k} texture numbers. */
    public static boolean acceptsTextureWidth(long k) {
        return k >= 1 && k <= TEXTURE_CHANNELS;
    }

    private ModelSignature() {
    }

    /** The inputs of a network, in words (for {@code model check}). */
    public static String describeInputs(int textureChannels) {
        return X_T + ", " + COND + " (" + CONDITION_MEANING + "), " + T + ", " + ALPHA_BAR + ", " + FAMILY + " (one-hot "
                + FAMILY_CHANNELS + ")" + (textureChannels > 0 ? ", " + TEXTURE + " (" + textureChannels + ": the noise texture)"
                : "; no texture input (it conditions on the sigma map alone)");
    }

    /** Position of {@code family} in this project's one-hot family input. */
    public static int familyIndex(NoiseFamily family) {
        int i = FAMILIES.indexOf(family);
        if (i < 0) throw new IllegalArgumentException("no network input for noise family " + family);
        return i;
    }
}
