package org.diffdenoise.diffusion;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.util.Util;
import net.imglib2.view.Views;

import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.ErrorSdTable;
import org.diffdenoise.model.UncertaintyCalibration;
import org.diffdenoise.noise.NoiseEstimate;

/**
 * The running mean and sum of squared deviations (Welford) of the samples of each slice, in modality units and within
 * the {@link OutputBounds}, and the uncertainty map the spread gives (calibrated when the model has a calibration).
 */
final class SampleAccumulator {

    /** The uncertainty map (input's shape) and what its values mean. */
    record Uncertainty(Img<FloatType> map, String meaning) {
    }

    private final SliceStack src;
    private final OutputBounds bounds;
    private final int samples;
    private final Img<FloatType> mean;
    private final Img<FloatType> m2;
    private final RandomAccessibleInterval<FloatType> mean3;
    private final RandomAccessibleInterval<FloatType> m23;

    SampleAccumulator(SliceStack src, OutputBounds bounds, int samples) {
        this.src = src;
        this.bounds = bounds;
        this.samples = samples;
        long[] dims = src.outputDimensions();
        int w = src.width(), h = src.height(), depth = src.depth();
        mean = Util.getSuitableImgFactory(Intervals.createMinSize(0, 0, 0, w, h, depth), new FloatType()).create(dims);
        m2 = samples > 1 ? Util.getSuitableImgFactory(Intervals.createMinSize(0, 0, 0, w, h, depth), new FloatType()).create(dims) : null;
        mean3 = src.asStack(mean);
        m23 = m2 == null ? null : src.asStack(m2);
    }

    /** The mean of the samples (input's shape, zero-based). */
    Img<FloatType> mean() {
        return mean;
    }

    /**
     * Adds sample {@code sample} (0-based) of slice z, modality units. Pixels that were not finite in the input keep
     * their input value, as do plateaus at the input minimum; the others are clamped to the bounds.
     */
    void add(float[] sampleValues, int z, int sample) {
        add(sampleValues, src.slice(z), z, sample);
    }

    /** As {@link #add(float[], int, int)}, with slice z of the input already read ({@code input}, not changed). */
    void add(float[] sampleValues, float[] input, int z, int sample) {
        int w = src.width(), h = src.height();
        boolean[] keep = bounds.plateau(input, w, h);
        Cursor<FloatType> mc = Views.flatIterable(Views.hyperSlice(mean3, 2, z)).cursor();
        Cursor<FloatType> sc = m23 == null ? null : Views.flatIterable(Views.hyperSlice(m23, 2, z)).cursor();
        int k = sample + 1;
        for (int i = 0; i < w * h; i++) {
            float orig = input[i];
            FloatType mv = mc.next();
            FloatType sv = sc == null ? null : sc.next();
            float x = !Float.isFinite(orig) || keep[i] ? orig : bounds.clamp(sampleValues[i]);
            if (k == 1) {
                mv.set(x);
                if (sv != null) sv.set(0);
                continue;
            }
            double delta = x - mv.get();
            double nm = mv.get() + delta / k;
            mv.set((float) nm);
            if (sv != null) sv.set((float) (sv.get() + delta * (x - nm)));
        }
    }

    /**
     * After all samples: the spread as an SD, calibrated into an estimated error SD when {@code calibration} has a fit
     * for the family; null for a single sample.
     *
     * @param scale the normalization's scale (the calibration's noise level is in normalized units)
     */
    Uncertainty uncertainty(NoiseFamily family, UncertaintyCalibration calibration, SliceNoise[] noise, double scale) {
        if (m2 == null) return null;
        for (FloatType v : m2) v.set((float) Math.sqrt(Math.max(v.get(), 0) / (samples - 1)));
        if (calibration == null || !calibration.calibrates(family)) return new Uncertainty(m2, DenoiseResult.SAMPLE_SD);
        ErrorSdTable table = calibration.tableFor(family);
        for (int z = 0; z < src.depth(); z++) {
            if (table != null) calibrate(z, ErrorTableInputs.of(noise[z], src.width() * src.height(), scale), table);
            else calibrate(z, noise[z].modality(), scale, calibration.forFamily(family));
        }
        return new Uncertainty(m2, UncertaintyCalibration.QUANTITY + "; " + calibration.describe(family));
    }

    /** Replaces slice z's sample spread by the error SD its table gives for the slice's inputs {@code in}. */
    private void calibrate(int z, ErrorTableInputs in, ErrorSdTable table) {
        float[] value = SliceStack.copySlice(mean3, z, src.width(), src.height()), sigma = in.sigma();
        Cursor<FloatType> c = Views.flatIterable(Views.hyperSlice(m23, 2, z)).cursor();
        for (int i = 0; i < sigma.length; i++) {
            FloatType v = c.next();
            v.set(table.sd(v.get(), sigma[i], value[i], in.level(), in.correlation()));
        }
    }

    /** Replaces slice z's sample spread by the calibrated error SD, using the slice's noise sigma (map) in modality units. */
    private void calibrate(int z, NoiseEstimate noise, double scale, UncertaintyCalibration.FamilyFit fit) {
        int w = src.width(), h = src.height();
        float[] value = SliceStack.copySlice(mean3, z, w, h);
        float[] input = src.slice(z);
        for (int i = 0; i < input.length; i++) if (!Float.isFinite(input[i])) input[i] = 0f;
        float[] sigma = noise.sigmaMap(input, w, h);
        double level = UncertaintyCalibration.noiseLevel(sigma, scale);
        Cursor<FloatType> c = Views.flatIterable(Views.hyperSlice(m23, 2, z)).cursor();
        for (int i = 0; i < input.length; i++) {
            FloatType v = c.next();
            v.set(UncertaintyCalibration.sd(fit, v.get(), sigma[i], value[i], level));
        }
    }
}
