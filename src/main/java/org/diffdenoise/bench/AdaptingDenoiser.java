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

/** A denoiser run with per-series adaptation ({@code --adapt}) whatever settings the benchmark hands it. */
record AdaptingDenoiser(Denoiser inner) implements Denoiser {

    @Override
    public ModelDescriptor describe() {
        return inner.describe();
    }

    @Override
    public DenoiseResult denoise(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings,
                                 ProgressListener progress, CancelToken cancel) {
        return inner.denoise(stack, family, settings.withAdapt(true), progress, cancel);
    }

    @Override
    public void close() {
        inner.close();
    }
}
