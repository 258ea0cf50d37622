package org.diffdenoise.model;

import java.util.List;
import java.util.Map;


/**
 * The contents of a model bundle's diffdenoise-model.json: what the SavedModel expects and returns, the noise schedule
 * and normalization it was trained with, how it was trained, and the sha256 of its files.
 */
public record BundleMetadata(
        String name,
        String version,
        String created,
        String format,
        List<String> tags,
        String signatureKey,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        String prediction,
        Schedule schedule,
        Normalization normalization,
        int conditionChannels,
        int sizeMultiple,
        List<String> noiseFamilies,
        Architecture architecture,
        String sigmaMap,
        String startStep,
        Map<String, Object> training,
        String sha256,
        String sha256Definition,
        Map<String, String> fileSha256,
        UncertaintyCalibration uncertainty) {

    /** File name of the metadata inside a bundle. */
    public static final String FILE_NAME = "diffdenoise-model.json";
    /** How {@link #sha256} is computed. */
    public static final String SHA256_DEFINITION = "sha256 over, for each file of the SavedModel (saved_model.pb and "
            + "variables/*) in ascending order of its '/'-separated relative path: the UTF-8 path, a 0 byte, the file "
            + "length as 8 big-endian bytes, then the file bytes";

    /** How the noise-level channel of cond is computed, in training and so at inference. */
    public static final String SIGMA_MAP_CONVENTION = "normalized units; RICIAN_MR and GAUSSIAN_CT: the constant noise "
            + "sigma; POISSON_GAUSSIAN_XRAY: sqrt(gain * max(box5(y), 0) + read^2) with box5 the 5x5 mean of the noisy "
            + "normalized slice y (borders clamped)";
    /** How the starting step of the reverse process is chosen. */
    public static final String START_STEP_CONVENTION = "t* = the smallest step t with sqrt((1 - abar_t) / abar_t) >= "
            + "sigma_eff, sigma_eff = root-mean-square of the sigma map; start state x_t* = sqrt(abar_t*) * y";

    /** Whether the network takes the per-slice noise texture input ({@link ModelSignature#TEXTURE}). */
    public boolean takesTexture() {
        return textureChannels() > 0;
    }

    /**
     * How many texture numbers the network takes (the first of {@link NoiseTexture}'s; 0: no texture input): the
     * second dimension of its texture input, {@link ModelSignature#TEXTURE_CHANNELS} when the metadata does not say.
     */
    public int textureChannels() {
        if (inputs == null) return 0;
        for (TensorSpec i : inputs)
            if (ModelSignature.TEXTURE.equals(i.name()))
                return i.shape() != null && i.shape().size() == 2 && i.shape().get(1) > 0 ? i.shape().get(1).intValue() : ModelSignature.TEXTURE_CHANNELS;
        return 0;
    }

    /** The same metadata with another uncertainty calibration (null removes it). */
    public BundleMetadata withUncertainty(UncertaintyCalibration u) {
        return new BundleMetadata(name, version, created, format, tags, signatureKey, inputs, outputs, prediction, schedule,
                normalization, conditionChannels, sizeMultiple, noiseFamilies, architecture, sigmaMap, startStep, training,
                sha256, sha256Definition, fileSha256, u);
    }

    /** One signature tensor: name, shape (-1 = any), dtype and what its values mean. */
    public record TensorSpec(String name, List<Long> shape, String dtype, String description) {
    }

    /** The forward-process schedule. */
    public record Schedule(String type, int timesteps, double cosineS) {
        public NoiseSchedule toNoiseSchedule() {
            if ("cosine".equals(type)) return new NoiseSchedule(type, timesteps, cosineS, 0, 0);
            throw new IllegalArgumentException("unsupported schedule type in bundle metadata: " + type);
        }
    }

    /** Intensity normalization the network expects. */
    public record Normalization(String type, double low, double high) {
    }

    /** U-Net shape. */
    public record Architecture(String type, List<Integer> channels, int embeddingDim, boolean pixelUnshuffle,
            int decoderBlocks, boolean attention, long parameters) {
    }
}
