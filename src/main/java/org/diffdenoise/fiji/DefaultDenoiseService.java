package org.diffdenoise.fiji;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.pipeline.BatchListener;
import org.diffdenoise.pipeline.BatchOptions;
import org.diffdenoise.pipeline.BatchReport;
import org.diffdenoise.pipeline.DenoiserRegistry;
import org.diffdenoise.pipeline.SeriesResult;
import org.diffdenoise.pipeline.StudyDenoiser;
import org.scijava.app.StatusService;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.service.AbstractService;
import org.scijava.service.Service;

/**
 * The {@link DenoiseService} Fiji's context creates. Starting it costs nothing: each call loads its denoiser and
 * closes it afterwards (native memory), so a script that never denoises never loads TensorFlow.
 */
@Plugin(type = Service.class)
public final class DefaultDenoiseService extends AbstractService implements DenoiseService {

    @Parameter(required = false)
    private LogService log;

    @Parameter(required = false)
    private StatusService status;

    @Override
    public ImageDenoising denoise(RandomAccessibleInterval<? extends RealType<?>> image, NoiseFamily family, DenoiseSettings settings) {
        return denoise(image, family, settings, DenoiserRegistry.Method.diffusion, null);
    }

    @Override
    public ImageDenoising denoise(RandomAccessibleInterval<? extends RealType<?>> image, String modality, int steps, int samples, long seed) {
        DenoiseSettings s = DenoiseSettings.defaults().withSteps(steps).withSamples(samples).withSeed(seed);
        return denoise(image, NoiseFamily.forModality(modality), s, DenoiserRegistry.Method.diffusion, null);
    }

    @Override
    public ImageDenoising denoise(RandomAccessibleInterval<? extends RealType<?>> image, NoiseFamily family, DenoiseSettings settings,
                                  DenoiserRegistry.Method method, File model) {
        if (image == null) throw new IllegalArgumentException("no image given");
        if (family == null || settings == null) throw new IllegalArgumentException("the noise family and the settings are needed");
        boolean flat = image.numDimensions() == 2;
        ArrayImg<FloatType, FloatArray> stack = floatStack(image);
        try (Denoiser d = DenoiserSource.create(method == null ? DenoiserRegistry.Method.diffusion : method, model == null ? null : model.toPath())) {
            DenoiseResult r = d.denoise(stack, family, settings, progress(), new CancelToken());
            showStatus("DiffDenoise: denoised " + stack.dimension(2) + " slice(s)");
            return new ImageDenoising(flat ? Views.hyperSlice(r.denoised(), 2, 0) : r.denoised(),
                    r.uncertainty() == null ? null : flat ? Views.hyperSlice(r.uncertainty(), 2, 0) : r.uncertainty(),
                    r.noiseSigma(), r.device(), r.noiseNote());
        }
    }

    @Override
    public BatchReport denoiseStudy(File input, File output, DenoiseSettings settings, boolean overwrite) {
        return denoiseStudy(input, output, new BatchOptions(settings, overwrite, Set.of()), DenoiserRegistry.Method.diffusion, null);
    }

    /** The batch the commands and the service share: checks the folders, runs one denoiser for all series, closes it. */
    BatchReport denoiseStudy(File input, File output, BatchOptions options, DenoiserRegistry.Method method, Path model) {
        if (input == null || output == null) throw new IllegalArgumentException("both the input and the output folder are needed");
        Path in = DenoiseStudyFolderCommand.checkInput(input.getPath());
        Path out = DenoiseStudyFolderCommand.checkOutput(in, output.getPath());
        StudyDenoiser pipeline = new StudyDenoiser(Dicom.backend(), DenoiserSource.supplier(method, model));
        try {
            BatchReport report = pipeline.denoiseStudy(in, out, options, new BatchListener() {
                @Override
                public void progress(int index, int count, String stage, long done, long total) {
                    showStatus(String.format(Locale.ROOT, "DiffDenoise: series %d/%d %s", index + 1, count, stage));
                }

                @Override
                public void seriesFinished(int index, int count, SeriesResult r) {
                    if (log != null) log.info("DiffDenoise: " + r.status() + " " + r.series().seriesInstanceUid() + ": " + r.message());
                }
            }, new CancelToken());
            if (log != null) log.info(String.format(Locale.ROOT, "DiffDenoise: %d series written, %d failed, %d file(s) skipped",
                    report.written(), report.failed(), report.skipped().size()));
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + input + ": " + e.getMessage(), e);
        } finally {
            pipeline.close();
        }
    }

    /** A 2D or 3D real image copied into a float stack (x, y, slice); a 2D image is one slice. */
    static ArrayImg<FloatType, FloatArray> floatStack(RandomAccessibleInterval<? extends RealType<?>> image) {
        int n = image.numDimensions();
        if (n != 2 && n != 3)
            throw new IllegalArgumentException("a 2D (x, y) or 3D (x, y, slice) image is needed, got " + n + " dimensions");
        long slices = n == 3 ? image.dimension(2) : 1;
        ArrayImg<FloatType, FloatArray> stack = ArrayImgs.floats(image.dimension(0), image.dimension(1), slices);
        Cursor<? extends RealType<?>> from = Views.flatIterable(Views.zeroMin(image)).cursor();
        Cursor<FloatType> to = stack.cursor(); // an ArrayImg iterates in flat order too
        while (from.hasNext()) to.next().setReal(from.next().getRealDouble());
        return stack;
    }

    private ProgressListener progress() {
        return (stage, done, total) -> showStatus("DiffDenoise: " + stage);
    }

    private void showStatus(String text) {
        if (status != null) status.showStatus(text);
    }
}
