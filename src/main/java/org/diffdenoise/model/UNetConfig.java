package org.diffdenoise.model;

/**
 * Shape of the conditional U-Net: channels per level (full, 1/2, 1/4 resolution), GroupNorm groups, embedding width.
 *
 * @param channels          channels at each of the three levels
 * @param embeddingDim      width of the timestep/noise-family embedding MLP
 * @param conditionChannels channels of the conditioning input (noisy slice, previous, next, sigma map)
 * @param pixelUnshuffle    if true the input is first rearranged into 2x2 sub-images (space-to-depth, as in FFDNet)
 *                          so the U-Net's first level runs at half resolution; the output is shuffled back
 * @param decoderBlocks     residual blocks per decoder level (1 or more); blocks after the first start as the identity
 *                          (zero last convolution), so a network can be grown from a trained one without changing its
 *                          output
 * @param attention         if true a single-head self-attention block (GroupNorm, 1x1 q/k/v, softmax over all positions,
 *                          zero-initialized output projection, residual) sits between the two bottleneck blocks, where
 *                          the positions are fewest (1/8 of the image side with pixel unshuffle); it starts as the identity
 * @param textureChannels   0, or 1 to {@link ModelSignature#TEXTURE_CHANNELS}: the network takes the first that many
 *                          numbers of the per-slice noise texture ({@link NoiseTexture}) into its embedding through a zero-initialized layer, so a network
 *                          grown from one without it starts with the same output
 */
public record UNetConfig(int[] channels, int embeddingDim, int conditionChannels, boolean pixelUnshuffle, int decoderBlocks,
        boolean attention, int textureChannels) {

    /** The configuration of the first shipped models (one block per decoder level). */
    public static UNetConfig v1() {
        return new UNetConfig(new int[] {32, 64, 96}, 64, 4, true, 1);
    }

    /** The shipped configuration (since session 3): run 1's network with a second residual block per decoder level. */
    public static UNetConfig standard() {
        return v1().withDecoderBlocks(2);
    }

    public UNetConfig(int[] channels, int embeddingDim, int conditionChannels, boolean pixelUnshuffle) {
        this(channels, embeddingDim, conditionChannels, pixelUnshuffle, 1, false);
    }

    public UNetConfig(int[] channels, int embeddingDim, int conditionChannels, boolean pixelUnshuffle, int decoderBlocks) {
        this(channels, embeddingDim, conditionChannels, pixelUnshuffle, decoderBlocks, false);
    }

    public UNetConfig(int[] channels, int embeddingDim, int conditionChannels, boolean pixelUnshuffle, int decoderBlocks,
            boolean attention) {
        this(channels, embeddingDim, conditionChannels, pixelUnshuffle, decoderBlocks, attention, 0);
    }

    public UNetConfig {
        if (textureChannels != 0 && !ModelSignature.acceptsTextureWidth(textureChannels))
            throw new IllegalArgumentException("texture channels must be 0 to " + ModelSignature.TEXTURE_CHANNELS + ": " + textureChannels);
        if (channels.length != 3) throw new IllegalArgumentException("the U-Net has exactly 3 levels");
        if (decoderBlocks < 1) throw new IllegalArgumentException("decoderBlocks must be at least 1: " + decoderBlocks);
        channels = channels.clone();
    }

    /** The same network with {@code n} residual blocks per decoder level. */
    public UNetConfig withDecoderBlocks(int n) {
        return new UNetConfig(channels, embeddingDim, conditionChannels, pixelUnshuffle, n, attention, textureChannels);
    }

    /** The same network with or without the bottleneck attention block. */
    public UNetConfig withAttention(boolean a) {
        return new UNetConfig(channels, embeddingDim, conditionChannels, pixelUnshuffle, decoderBlocks, a, textureChannels);
    }

    /** The same network with or without the noise-texture input (the whole texture: {@link ModelSignature#TEXTURE_CHANNELS}). */
    public UNetConfig withTexture(boolean texture) {
        return withTextureChannels(texture ? ModelSignature.TEXTURE_CHANNELS : 0);
    }

    /** The same network taking the first {@code k} texture numbers (0: none), as a bundle trained with them does. */
    public UNetConfig withTextureChannels(int k) {
        return new UNetConfig(channels, embeddingDim, conditionChannels, pixelUnshuffle, decoderBlocks, attention, k);
    }

    @Override
    public String toString() {
        return "UNetConfig[channels=" + java.util.Arrays.toString(channels) + ", embeddingDim=" + embeddingDim
                + ", conditionChannels=" + conditionChannels + ", pixelUnshuffle=" + pixelUnshuffle
                + ", decoderBlocks=" + decoderBlocks + (attention ? ", attention" : "")
                + (textureChannels > 0 ? ", texture=" + textureChannels : "") + "]";
    }

    @Override
    public int[] channels() {
        return channels.clone();
    }

    /** GroupNorm groups for a channel count: 8, or 4 when there are fewer than 32 channels. */
    public static int groups(int c) {
        int g = c >= 32 ? 8 : 4;
        while (c % g != 0) g /= 2;
        return Math.max(1, g);
    }
}
