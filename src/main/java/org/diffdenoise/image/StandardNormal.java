package org.diffdenoise.image;

import java.util.SplittableRandom;

/** Standard normal draws from a {@link SplittableRandom} (Box–Muller; SplittableRandom has no nextGaussian). */
public final class StandardNormal {

    private StandardNormal() {
    }

    /** One draw of N(0, 1). */
    public static double draw(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        if (u1 < 1e-300) u1 = 1e-300;
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
