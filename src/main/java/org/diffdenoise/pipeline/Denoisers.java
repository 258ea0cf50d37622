package org.diffdenoise.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.diffdenoise.api.Denoiser;
import org.diffdenoise.classical.GaussianBlurDenoiser;
import org.diffdenoise.classical.MedianDenoiser;
import org.diffdenoise.classical.NonLocalMeansDenoiser;
import org.diffdenoise.classical.TotalVariationDenoiser;
import org.diffdenoise.classical.WaveletDenoiser;
import org.diffdenoise.diffusion.DiffusionDenoiser;
import org.diffdenoise.model.ModelBundle;

/** Creates the denoisers the front ends offer: the diffusion model (shipped or a user bundle) and classical baselines. */
public final class Denoisers {

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

    private Denoisers() {
    }

    /**
     * @param method      which denoiser
     * @param modelBundle a model bundle folder, or null for the shipped model (diffusion only)
     * @throws UncheckedIOException when the bundle cannot be loaded; the message says why
     */
    public static Denoiser create(Method method, Path modelBundle) {
        switch (method) {
            case diffusion:
                return diffusion(modelBundle);
            case nlm:
                return new NonLocalMeansDenoiser(0.7);
            case tv:
                return new TotalVariationDenoiser(0.7);
            case wavelet:
                return new WaveletDenoiser(1.0);
            case gaussian:
                return new GaussianBlurDenoiser(1.0);
            case median:
                return new MedianDenoiser(1.5);
            default:
                throw new IllegalArgumentException("unknown method " + method);
        }
    }

    /**
     * Checks that {@code modelBundle} is a complete, uncorrupted bundle (metadata, file hashes, serving signature)
     * without starting TensorFlow, so a front end can refuse a wrong folder before any series is read.
     *
     * @throws IOException saying what is missing or wrong
     */
    public static void checkBundle(Path modelBundle) throws IOException {
        ModelBundle.load(modelBundle);
    }

    /** The diffusion denoiser of a bundle (null: the shipped one); closing it releases the TensorFlow session. */
    public static Denoiser diffusion(Path modelBundle) {
        try {
            return DiffusionDenoiser.open(modelBundle);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
