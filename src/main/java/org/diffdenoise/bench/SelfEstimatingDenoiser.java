package org.diffdenoise.bench;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;

/** A denoiser that estimates its own noise level (a user's run without --sigma), whatever sigma the benchmark hands it. */
record SelfEstimatingDenoiser(Denoiser inner) implements Denoiser {

    @Override
    public ModelDescriptor describe() {
        return inner.describe();
    }

    @Override
    public DenoiseResult denoise(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings,
                                 ProgressListener progress, CancelToken cancel) {
        return inner.denoise(stack, family, settings.withNoiseSigma(Double.NaN), progress, cancel);
    }

    @Override
    public void close() {
        inner.close();
    }
}
