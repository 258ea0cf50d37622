package org.diffdenoise.fiji;

import java.io.File;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.pipeline.BatchReport;
import org.diffdenoise.pipeline.DenoiserRegistry;
import org.scijava.service.SciJavaService;

/**
 * SciJava service for scripts (Groovy, Jython, PyImageJ, KNIME): denoises an ImgLib2 image held in memory or every
 * series of a DICOM study folder. A script asks for it with {@code #@ DenoiseService denoiser}.
 */
public interface DenoiseService extends SciJavaService {

    /**
     * Denoises a 2D (x, y) or 3D (x, y, slice) image in modality units with the shipped diffusion model.
     *
     * @param image    any real-typed image; it is copied, never modified
     * @param family   the noise the image carries (Rician for MR magnitude, Poisson-Gaussian for X-ray, Gaussian)
     * @param settings steps, samples, seed, noise level (NaN: estimate per slice), tiling
     * @return the denoised image (32-bit float, same shape) and, with several samples, their per-pixel SD
     */
    ImageDenoising denoise(RandomAccessibleInterval<? extends RealType<?>> image, NoiseFamily family, DenoiseSettings settings);

    /** As {@link #denoise(RandomAccessibleInterval, NoiseFamily, DenoiseSettings)}, with another method or model bundle (null: shipped). */
    ImageDenoising denoise(RandomAccessibleInterval<? extends RealType<?>> image, NoiseFamily family, DenoiseSettings settings,
                           DenoiserRegistry.Method method, File model);

    /** For scripts: a DICOM modality ("MR", "CT", "DX" ...) names the noise family; other settings are the defaults. */
    ImageDenoising denoise(RandomAccessibleInterval<? extends RealType<?>> image, String modality, int steps, int samples, long seed);

    /**
     * Denoises every series of a study folder into one new derived DICOM series each, under {@code output}.
     * One failing series does not stop the others; the report says what happened to each.
     *
     * @param overwrite replace derived series written earlier with other settings (the same settings are kept as done)
     * @throws IllegalArgumentException when a folder is missing or the output lies inside the input
     */
    BatchReport denoiseStudy(File input, File output, DenoiseSettings settings, boolean overwrite);

    /** The default settings (2 DDIM steps, 1 sample, seed 42, estimated noise level), to change with their with... methods. */
    default DenoiseSettings defaultSettings() {
        return DenoiseSettings.defaults();
    }
}
