package org.diffdenoise.bench;

import java.util.function.UnaryOperator;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;

/**
 * A denoiser run with some settings changed whatever the benchmark hands it: {@code --adapt} (per-series adaptation)
 * or {@code --diffusion-estimates-noise} (no sigma given, as a user's run).
 */
record SettingsOverride(Denoiser inner, UnaryOperator<DenoiseSettings> change) implements Denoiser {

    static SettingsOverride adapting(Denoiser d) {
        return new SettingsOverride(d, s -> s.withAdapt(true));
    }

    static SettingsOverride selfEstimating(Denoiser d) {
        return new SettingsOverride(d, s -> s.withNoiseSigma(Double.NaN));
    }

    @Override
    public ModelDescriptor describe() {
        return inner.describe();
    }

    @Override
    public DenoiseResult denoise(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings,
                                 ProgressListener progress, CancelToken cancel) {
        return inner.denoise(stack, family, change.apply(settings), progress, cancel);
    }

    @Override
    public void close() {
        inner.close();
    }
}
