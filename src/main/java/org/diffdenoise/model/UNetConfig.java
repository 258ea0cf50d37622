package org.diffdenoise.model;

/**
 * Shape of the conditional U-Net: channels per level (full, 1/2, 1/4 resolution), GroupNorm groups, embedding width.
 *
 * @param channels          channels at each of the three levels
 * @param embeddingDim      width of the timestep/noise-family embedding MLP
 * @param conditionChannels channels of the conditioning input (noisy slice, previous, next, sigma map)
 * @param pixelUnshuffle    if true the input is first rearranged into 2x2 sub-images (space-to-depth, as in FFDNet)
 *                          so the U-Net's first level runs at half resolution; the output is shuffled back
 */
public record UNetConfig(int[] channels, int embeddingDim, int conditionChannels, boolean pixelUnshuffle) {

    /** The shipped configuration. */
    public static UNetConfig standard() {
        return new UNetConfig(new int[] {32, 64, 96}, 64, 4, true);
    }

    public UNetConfig {
        if (channels.length != 3) throw new IllegalArgumentException("the U-Net has exactly 3 levels");
        channels = channels.clone();
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
