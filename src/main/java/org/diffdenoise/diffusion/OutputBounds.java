package org.diffdenoise.diffusion;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.diffdenoise.api.NoiseFamily;

/**
 * What the output may hold: values between the input's finite minimum and maximum (for MR magnitude images the
 * lower bound is 0 when the input has no negative values: a magnitude is never negative, and a noisy input's
 * minimum lies above the true background), and pixels of a flat region at the input minimum (a scanner's mask,
 * CT padding, a shutter: exactly equal to the minimum with all their neighbours) unchanged. Rician or Gaussian
 * noise never leaves such exact plateaus, so denoising a noisy background is unaffected; without this rule a
 * masked MR background (exact zeros, which the Rician model cannot produce) came out below zero.
 */
record OutputBounds(float min, float max, float inputMin) {
    static OutputBounds of(RandomAccessibleInterval<FloatType> src, NoiseFamily family) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (FloatType t : Views.flatIterable(src)) {
            float v = t.get();
            if (!Float.isFinite(v)) continue;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        if (lo > hi) return new OutputBounds(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN);
        float min = family == NoiseFamily.RICIAN_MR ? Math.min(0f, lo) : lo;
        return new OutputBounds(min, hi, lo);
    }

    float clamp(float v) {
        return v < min ? min : v > max ? max : v;
    }

    /** True where the slice and its 8 neighbours (those inside the slice) equal the input minimum exactly. */
    boolean[] plateau(float[] slice, int w, int h) {
        boolean[] out = new boolean[slice.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean flat = true;
                for (int dy = -1; dy <= 1 && flat; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) continue;
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        if (xx < 0 || xx >= w) continue;
                        if (slice[yy * w + xx] != inputMin) {
                            flat = false;
                            break;
                        }
                    }
                }
                out[y * w + x] = flat;
            }
        }
        return out;
    }
}
