package org.diffdenoise.diffusion;

import java.util.ArrayList;
import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.model.DenoisingNetwork;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.model.UncertaintyCalibration;
import org.diffdenoise.noise.MultiCoilBackground;
import org.diffdenoise.noise.RobustNormalization;

/**
 * Denoises a stack by conditioned reverse diffusion: multi-coil MR's background floor removed ({@link CoilFloorRemoval}),
 * one robust normalization for the whole stack, a noise level per
 * slice ({@link SliceNoiseAnalysis}; MR's bounded by the noise of its air, {@link AirLevelBound}), 2.5D conditioning ({@link Conditioning}), tiles read through mirrored ImgLib2
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
    private final TimestepMatcher matcher;
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
        this.matcher = new TimestepMatcher(schedule);
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
     * Per slice, what a calibrated uncertainty map of this stack is looked up with ({@link ErrorTableInputs}: the sigma
     * the network is conditioned on at these settings, its level and the noise's correlation), without denoising:
     * what {@code model calibrate} fits its tables with.
     */
    public List<ErrorTableInputs> errorTableInputs(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings) {
        Prepared prepared = prepare(DenoiseRequest.of(stack, family, settings, null, null));
        SliceStack src = prepared.request().stack();
        List<ErrorTableInputs> out = new ArrayList<>();
        for (SliceNoise n : prepared.noise()) out.add(ErrorTableInputs.of(n, src.width() * src.height(), prepared.norm().scale()));
        return out;
    }

    /**
     * As {@link #denoise(RandomAccessibleInterval, NoiseFamily, DenoiseSettings, ProgressListener, CancelToken)}, for
     * measurements: a finite {@code fixedScale} multiplies the sigma maps by it instead of adapting.
     */
    DenoiseResult denoise(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings,
                          ProgressListener progress, CancelToken cancel, double fixedScale) {
        return denoise(stack, family, settings, progress, cancel, fixedScale, true);
    }

    /**
     * As above; with {@code shareBelowFirstStep} false, for measurements, a slice below the first step's level takes the
     * whole step ({@link FirstStepBlend}), as before that blend.
     */
    DenoiseResult denoise(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings,
                          ProgressListener progress, CancelToken cancel, double fixedScale, boolean shareBelowFirstStep) {
        return run(prepare(DenoiseRequest.of(stack, family, settings, progress, cancel)), fixedScale, shareBelowFirstStep);
    }

    /**
     * For measurements: the default path with each slice conditioned on the sigma map given (modality units, w x h per
     * slice; t* matched to it) instead of the measured one, e.g. the simulator's true map.
     */
    DenoiseResult denoiseWithMaps(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings,
                                  List<float[]> modalityMaps) {
        Prepared p = prepare(DenoiseRequest.of(stack, family, settings, null, null));
        SliceNoise[] noise = p.noise().clone();
        for (int z = 0; z < noise.length; z++) {
            float[] map = modalityMaps.get(z).clone();
            for (int i = 0; i < map.length; i++) map[i] /= (float) p.norm().scale();
            noise[z] = noise[z].withMap(map, matcher);
        }
        return run(new Prepared(p.request(), p.norm(), noise, p.note(), p.air()), Double.NaN, true);
    }

    private DenoiseResult run(Prepared prepared, double fixedScale, boolean shareBelowFirstStep) {
        DenoiseRequest request = prepared.request();
        NoiseFamily family = request.family();
        DenoiseSettings settings = request.settings();
        SliceStack src = request.stack();
        RobustNormalization norm = prepared.norm();
        OutputBounds bounds = OutputBounds.of(src.voxels(), family);
        SliceNoise[] measured = prepared.noise();
        Conditioned conditioned = conditioned(prepared, fixedScale);
        SliceNoise[] noise = conditioned.noise();
        String adapted = conditioned.adaptation();

        int samples = settings.samples();
        FirstStepBlend blend = shareBelowFirstStep ? FirstStepBlend.of(noise, matcher) : FirstStepBlend.none(noise.length);
        SampleAccumulator accumulator = new SampleAccumulator(src, bounds, samples);
        TileGrid grid = TileGrid.of(src.width(), src.height(), settings.tileSize(), settings.tileOverlap(), net.sizeMultiple());
        Conditioning conditioning = new Conditioning(src.normalized(norm), noise, grid, settings.sliceContext());
        TileBatcher batcher = new TileBatcher(sampler, conditioning, noise, grid, settings, family, eta(samples));
        StepProgress steps = new StepProgress(request.progress(), batcher.stepsPerSample() * samples);
        for (int s = 0; s < samples; s++) {
            int sample = s;
            // slices with nothing to do keep their input values
            for (int z = 0; z < src.depth(); z++) if (noise[z].tStar() == 0) accumulator.add(src.slice(z), z, sample);
            batcher.run(sample, samples, steps, request.cancel(), (z, values) -> {
                norm.invertInPlace(values);
                float[] input = src.slice(z); // read once, for the blend and the accumulator
                blend.apply(values, input, z);
                accumulator.add(values, input, z, sample);
            });
        }
        steps.finish();

        // the error calibration was fitted at the measured level: a series conditioned at another (an adaptation's
        // factor) gets the samples' spread, labelled uncalibrated, not a map that claims to predict its error
        SampleAccumulator.Uncertainty u = accumulator.uncertainty(family, conditioned.factor() == 1 ? calibration : null, measured,
                norm.scale());
        return new DenoiseResult(src.atInputOrigin(accumulator.mean()), u == null ? null : src.atInputOrigin(u.map()),
                SliceNoiseAnalysis.modalitySigmas(measured), net.device(), u == null ? null : u.meaning(), adapted,
                notes(prepared.note(), noiseAnalysis.faintNote(noise), blend.note(),
                        SliceNoiseAnalysis.correlationNote(measured, prepared.air().airSigma())));
    }

    /**
     * The request as denoised (multi-coil MR's floor removed), its normalization, every slice's noise (MR's bounded by its
     * air), what was done, in words (null when nothing was), and the series' air as read before the floor's removal.
     */
    private record Prepared(DenoiseRequest request, RobustNormalization norm, SliceNoise[] noise, String note,
                            MultiCoilBackground.SeriesBackground air) {
    }

    /**
     * The levels the network is conditioned on, their factor on the measured levels (1: as measured), and what the
     * adaptation chose (null when it was not asked for).
     */
    private record Conditioned(SliceNoise[] noise, double factor, String adaptation) {
    }

    // the measured levels times a fixed factor (measurements) or the adaptation's, then times the user's strength
    private Conditioned conditioned(Prepared prepared, double fixedScale) {
        DenoiseRequest request = prepared.request();
        DenoiseSettings settings = request.settings();
        SliceNoise[] noise = prepared.noise();
        String adapted = null;
        double factor = 1;
        if (!Double.isNaN(fixedScale)) {
            noise = adaptation.scaled(noise, fixedScale);
            factor = fixedScale;
        } else if (settings.adapt()) {
            SliceStack src = request.stack();
            ConditioningAdaptation.Choice choice = adaptation.choose(src.normalized(prepared.norm()), src.width(), src.height(), noise,
                    settings, request.family(), request.progress(), request.cancel());
            noise = adaptation.scaled(noise, choice.scale());
            adapted = choice.describe();
            factor = choice.scale();
        }
        if (settings.strength() != DenoiseSettings.DEFAULT_STRENGTH) {
            noise = adaptation.scaled(noise, settings.strength());
            noiseAnalysis.requireSomethingAtStrength(noise, settings.strength());
            factor *= settings.strength();
        }
        return new Conditioned(noise, factor, adapted);
    }

    private Prepared prepare(DenoiseRequest asked) {
        // MR's air, read once: the coils for the floor, the noise level for the bound
        SliceStack in = asked.stack();
        MultiCoilBackground.SeriesBackground air = asked.family() == NoiseFamily.RICIAN_MR
                ? MultiCoilBackground.background(in::slice, in.depth(), in.width(), in.height()) : MultiCoilBackground.SeriesBackground.NONE;
        CoilFloorRemoval.Applied floor = CoilFloorRemoval.apply(asked, air);
        DenoiseRequest request = floor.request();
        RobustNormalization norm = request.stack().fitNormalization();
        AirLevelBound.Applied bound = AirLevelBound.apply(request, noiseAnalysis.analyse(request, norm), air, matcher);
        noiseAnalysis.requireSomethingToDenoise(bound.noise(), request.settings());
        return new Prepared(request, norm, bound.noise(), notes(floor.note(), bound.note()), air);
    }

    // the notes on the noise that apply, joined; null when none does
    private static String notes(String... notes) {
        String out = null;
        for (String n : notes) if (n != null) out = out == null ? n : out + "; " + n;
        return out;
    }

    /** Only the adaptation's choice for a stack (what {@code --adapt} would use), for measurements and tests. */
    ConditioningAdaptation.Choice adaptationChoice(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings) {
        Prepared p = prepare(DenoiseRequest.of(stack, family, settings, null, null));
        SliceStack src = p.request().stack();
        return adaptation.choose(src.normalized(p.norm()), src.width(), src.height(), p.noise(), settings, family, p.request().progress(),
                p.request().cancel());
    }

    /** Deterministic for one sample; several samples use the calibration's eta, or the sampler's stochastic default. */
    private double eta(int samples) {
        return samples > 1 ? (calibration != null ? calibration.eta() : DiffusionSampler.STOCHASTIC_ETA) : 0;
    }
}
