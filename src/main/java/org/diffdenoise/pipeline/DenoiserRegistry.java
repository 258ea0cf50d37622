package org.diffdenoise.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.diffdenoise.api.Denoiser;
import org.diffdenoise.classical.ClassicalDenoiser;
import org.diffdenoise.classical.GaussianBlurDenoiser;
import org.diffdenoise.classical.MedianDenoiser;
import org.diffdenoise.classical.NonLocalMeansDenoiser;
import org.diffdenoise.classical.TotalVariationDenoiser;
import org.diffdenoise.classical.WaveletDenoiser;
import org.diffdenoise.diffusion.DiffusionDenoiser;
import org.diffdenoise.model.DenoisingNetwork;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.tf.TfNetworks;

/**
 * The one registry of denoising methods, used by the command line, Fiji, the node and the benchmark: the diffusion
 * model (shipped or a user bundle) and the classical baselines with their default strengths.
 */
public final class DenoiserRegistry {

    /** The methods a user can choose; all but {@code diffusion} are classical baselines, for comparison. */
    public enum Method {
        /** The conditioned reverse-diffusion model (the product). */
        diffusion,
        /** Non-local means (Buades 2005) with Rician bias correction for MR. */
        nlm,
        /** Total variation (Chambolle 2004). */
        tv,
        /** Cycle-spun wavelet soft thresholding (BayesShrink). */
        wavelet,
        /** Gaussian blur (ImageJ). */
        gaussian,
        /** Median (ImageJ RankFilters). */
        median
    }

    private DenoiserRegistry() {
    }

    /**
     * @param method      which denoiser
     * @param modelBundle a model bundle folder, or null for the shipped model (diffusion only)
     * @throws UncheckedIOException when the bundle cannot be loaded; the message says why
     */
    public static Denoiser create(Method method, Path modelBundle) {
        return method == Method.diffusion ? diffusion(modelBundle) : classical(method);
    }

    /**
     * The classical method with the product's default strength (what {@code --method} runs; the benchmark tunes
     * the strength from there).
     */
    public static ClassicalDenoiser classical(Method method) {
        return switch (method) {
            case nlm -> new NonLocalMeansDenoiser(0.7);
            case tv -> new TotalVariationDenoiser(0.7);
            case wavelet -> new WaveletDenoiser(1.0);
            case gaussian -> new GaussianBlurDenoiser(1.0);
            case median -> new MedianDenoiser(1.5);
            case diffusion -> throw new IllegalArgumentException("diffusion is not a classical method");
        };
    }

    /** The method of this name; IllegalArgumentException lists the known ones. */
    public static Method method(String name) {
        for (Method m : Method.values()) if (m.name().equalsIgnoreCase(name)) return m;
        throw new IllegalArgumentException("unknown method '" + name + "' (known: "
                + java.util.Arrays.stream(Method.values()).map(Enum::name).collect(java.util.stream.Collectors.joining(", ")) + ")");
    }

    /**
     * Checks that {@code modelBundle} is a complete, uncorrupted bundle (metadata, file hashes, serving signature)
     * without starting TensorFlow, so a front end can refuse a wrong folder before any series is read.
     *
     * @throws IOException saying what is missing or wrong
     */
    public static void checkBundle(Path modelBundle) throws IOException {
        TfNetworks.loadOrDefault(modelBundle);
    }

    /** The diffusion denoiser of a bundle (null: the shipped one); closing it releases the TensorFlow session. */
    public static Denoiser diffusion(Path modelBundle) {
        try {
            return diffusion(TfNetworks.loadOrDefault(modelBundle));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * The diffusion denoiser of a loaded bundle, its network opened through TensorFlow; closing it releases the session.
     *
     * @throws IOException when the bundle's SavedModel signature does not match; the message says how
     */
    public static DiffusionDenoiser diffusion(ModelBundle bundle) throws IOException {
        DenoisingNetwork net = TfNetworks.open(bundle);
        try {
            return DiffusionDenoiser.of(bundle, net);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }
}
