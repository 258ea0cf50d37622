package org.diffdenoise.diffusion;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import java.util.SplittableRandom;

import net.imglib2.img.array.ArrayImgs;

import org.diffdenoise.model.DenoisingNetwork;
import org.diffdenoise.model.ErrorSdTable;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.model.UncertaintyCalibration;
import org.diffdenoise.noise.RobustNormalization;

/**
 * Denoises a stack by conditioned reverse diffusion: one robust normalization for the whole stack, a noise level per
 * slice ({@link SliceNoiseAnalysis}), 2.5D conditioning ({@link Conditioning}), tiles read through mirrored ImgLib2
 * views and sampled in batches ({@link TileBatcher}) from the matched step t*, seam-free blending, and the exact
 * inverse normalization back to modality units, where the samples are averaged ({@link SampleAccumulator}).
 * Only one batch of tiles and the blend accumulators of the slices in flight are held besides the output.
 */
public final class DiffusionDenoiser implements Denoiser {

    /** Conditioning channels: noisy slice, previous slice, next slice, noise-level map. */
    public static final int CONDITION_CHANNELS = Conditioning.CHANNELS;

    /**
     * The diffusion denoiser of a loaded bundle: its network (opened by the caller, e.g. with
     * {@code model.tf.TfNetworks.open}; closed with this denoiser), schedule, description and calibration.
     */
    public static DiffusionDenoiser of(ModelBundle b, DenoisingNetwork net) {
        return new DiffusionDenoiser(net, b.schedule(), b.descriptor(), b.metadata().uncertainty());
    }

    private final DenoisingNetwork net;
    private final ModelDescriptor descriptor;
    private final SliceNoiseAnalysis noiseAnalysis;
    private final DiffusionSampler sampler;
    private final UncertaintyCalibration calibration;
    private final ConditioningAdaptation adaptation;

    /** A denoiser whose uncertainty map (several samples) is the uncalibrated spread of the samples. */
    public DiffusionDenoiser(DenoisingNetwork net, NoiseSchedule schedule, ModelDescriptor descriptor) {
        this(net, schedule, descriptor, null);
    }

    /**
     * @param calibration turns the samples' spread into an estimated SD of the error (and sets their eta); null keeps
     *                    the raw spread, labelled uncalibrated
     */
    public DiffusionDenoiser(DenoisingNetwork net, NoiseSchedule schedule, ModelDescriptor descriptor,
                             UncertaintyCalibration calibration) {
        this.calibration = calibration;
        if (net.conditionChannels() != CONDITION_CHANNELS)
            throw new IllegalArgumentException("the network expects " + net.conditionChannels() + " conditioning channels; this denoiser provides "
                    + CONDITION_CHANNELS + " (slice, previous, next, noise level)");
        this.net = net;
        this.descriptor = descriptor;
        TimestepMatcher matcher = new TimestepMatcher(schedule);
        this.noiseAnalysis = new SliceNoiseAnalysis(matcher);
        this.sampler = new DiffusionSampler(net, schedule);
        this.adaptation = new ConditioningAdaptation(sampler, matcher, net.sizeMultiple(), net.takesTexture());
    }

    @Override
    public ModelDescriptor describe() {
        return descriptor;
    }

    @Override
    public void close() {
        net.close();
    }

    @Override
    public DenoiseResult denoise(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings,
                                 ProgressListener progress, CancelToken cancel) {
        return denoise(stack, family, settings, progress, cancel, Double.NaN);
    }

    /**
     * As {@link #denoise(RandomAccessibleInterval, NoiseFamily, DenoiseSettings, ProgressListener, CancelToken)}; a
     * finite {@code fixedScale} multiplies the sigma maps by it instead of adapting (measurements of the adaptation).
     */
    DenoiseResult denoise(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings,
                          ProgressListener progress, CancelToken cancel, double fixedScale) {
        return run(DenoiseRequest.of(stack, family, settings, progress, cancel), fixedScale, false).result();
    }

    /**
     * A denoised series with its parametric-bootstrap ratio ({@link ErrorScaleBootstrap}), measured whether or not the
     * calibration rescales by it; the map is rescaled only when it does. For fitting the calibration.
     *
     * @param bootstrapRatio the series' bootstrap ratio (NaN with one sample, without an error table, or when no pixel counts)
     */
    public record Bootstrapped(DenoiseResult result, double bootstrapRatio) {
    }

    /** Denoises with several samples and measures the series' bootstrap ratio (see {@link Bootstrapped}). */
    public Bootstrapped denoiseWithBootstrap(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings) {
        return run(DenoiseRequest.of(stack, family, settings, null, null), Double.NaN, true);
    }

    private Bootstrapped run(DenoiseRequest request, double fixedScale, boolean measureBootstrap) {
        DenoiseSettings settings = request.settings();
        NoiseFamily family = request.family();
        SliceStack src = request.stack();
        RobustNormalization norm = src.fitNormalization();
        SliceNoise[] measured = noiseAnalysis.analyse(request, norm), noise = measured;
        String adapted = null;
        if (!Double.isNaN(fixedScale)) {
            noise = adaptation.scaled(noise, fixedScale);
        } else if (settings.adapt()) {
            ConditioningAdaptation.Choice choice = adaptation.choose(src.normalized(norm), src.width(), src.height(), noise,
                    settings, family, request.progress(), request.cancel());
            noise = adaptation.scaled(noise, choice.scale());
            adapted = choice.describe();
        }

        Sampling sampling = new Sampling(norm, OutputBounds.of(src.voxels(), family), noise,
                TileGrid.of(src.width(), src.height(), settings.tileSize(), settings.tileOverlap(), net.sizeMultiple()), settings, family);
        ErrorSdTable table = calibration == null || settings.samples() < 2 ? null : calibration.tableFor(family);
        boolean bootstrap = table != null && (table.rescalesPerSeries() || measureBootstrap);
        StepProgress steps = new StepProgress(request.progress(), batcher(sampling, src).stepsPerSample() * settings.samples() * (bootstrap ? 2 : 1));
        SampleAccumulator accumulator = sample(sampling, src, steps, request.cancel());
        SampleAccumulator.Uncertainty u = accumulator.uncertainty(family, calibration, measured, norm.scale());
        double ratio = Double.NaN;
        if (bootstrap) {
            ratio = bootstrapRatio(src, accumulator, sampling, measured, steps, request.cancel());
            if (table.rescalesPerSeries()) u = u.scaled(ErrorScaleBootstrap.factor(ratio, table.bootstrapRatio()), ratio, table.bootstrapRatio());
        }
        steps.finish();
        DenoiseResult result = new DenoiseResult(src.atInputOrigin(accumulator.mean()), u == null ? null : src.atInputOrigin(u.map()),
                SliceNoiseAnalysis.modalitySigmas(measured), net.device(), u == null ? null : u.meaning(), adapted);
        return new Bootstrapped(result, ratio);
    }

    /**
     * The series' bootstrap ratio: its output re-noised with the measured noise field (seeded by the settings), denoised
     * again with the same conditioning and calibrated the same way.
     */
    private double bootstrapRatio(SliceStack src, SampleAccumulator first, Sampling sampling, SliceNoise[] measured,
                                  StepProgress steps, CancelToken cancel) {
        int w = src.width(), h = src.height(), d = src.depth();
        double scale = sampling.norm().scale();
        SplittableRandom rng = new SplittableRandom(sampling.settings().seed() ^ BOOTSTRAP_SEED);
        float[][] output = new float[d][];
        float[] renoised = new float[w * h * d];
        boolean[] denoised = new boolean[d];
        for (int z = 0; z < d; z++) {
            output[z] = first.meanSlice(z);
            denoised[z] = sampling.noise()[z].tStar() > 0;
            System.arraycopy(ErrorScaleBootstrap.renoise(output[z], measured[z].localSigma(w * h, scale), sampling.family(), rng), 0,
                    renoised, z * w * h, w * h);
        }
        SliceStack again = SliceStack.of(ArrayImgs.floats(renoised, w, h, d));
        SampleAccumulator second = sample(sampling, again, steps, cancel);
        SampleAccumulator.Uncertainty u = second.uncertainty(sampling.family(), calibration, measured, scale);
        float[][] rerun = new float[d][], rerunMap = new float[d][];
        for (int z = 0; z < d; z++) {
            rerun[z] = second.meanSlice(z);
            rerunMap[z] = SliceStack.copySlice(again.asStack(u.map()), z, w, h);
        }
        return ErrorScaleBootstrap.ratio(output, rerun, rerunMap, ErrorScaleBootstrap.pixels(output, denoised, sampling.family()));
    }

    /** Mixed into the settings' seed for the bootstrap's noise, so that it differs from the samples' noise. */
    private static final long BOOTSTRAP_SEED = 0x5eed_b007L;

    /** One series' sampling set-up: its normalization, bounds, conditioning noise, tiles and settings. */
    private record Sampling(RobustNormalization norm, OutputBounds bounds, SliceNoise[] noise, TileGrid grid, DenoiseSettings settings,
                            NoiseFamily family) {
    }

    private TileBatcher batcher(Sampling s, SliceStack src) {
        Conditioning conditioning = new Conditioning(src.normalized(s.norm()), s.noise(), s.grid(), s.settings().sliceContext());
        return new TileBatcher(sampler, conditioning, s.noise(), s.grid(), s.settings(), s.family(), eta(s.settings().samples()));
    }

    /** All samples of a series, averaged in modality units (slices with nothing to do keep their input values). */
    private SampleAccumulator sample(Sampling s, SliceStack src, StepProgress steps, CancelToken cancel) {
        int samples = s.settings().samples();
        SampleAccumulator accumulator = new SampleAccumulator(src, s.bounds(), samples);
        TileBatcher batcher = batcher(s, src);
        for (int k = 0; k < samples; k++) {
            int sample = k;
            for (int z = 0; z < src.depth(); z++) if (s.noise()[z].tStar() == 0) accumulator.add(src.slice(z), z, sample);
            batcher.run(sample, samples, steps, cancel, (z, values) -> {
                s.norm().invertInPlace(values);
                accumulator.add(values, z, sample);
            });
        }
        return accumulator;
    }

    /** Only the adaptation's choice for a stack (what {@code --adapt} would use), for measurements and tests. */
    ConditioningAdaptation.Choice adaptationChoice(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings) {
        DenoiseRequest request = DenoiseRequest.of(stack, family, settings, null, null);
        SliceStack src = request.stack();
        RobustNormalization norm = src.fitNormalization();
        SliceNoise[] noise = noiseAnalysis.analyse(request, norm);
        return adaptation.choose(src.normalized(norm), src.width(), src.height(), noise, settings, family, request.progress(), request.cancel());
    }

    /** Deterministic for one sample; several samples use the calibration's eta, or the sampler's stochastic default. */
    private double eta(int samples) {
        return samples > 1 ? (calibration != null ? calibration.eta() : DiffusionSampler.STOCHASTIC_ETA) : 0;
    }
}
