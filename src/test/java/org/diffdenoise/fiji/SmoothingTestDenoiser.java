package org.diffdenoise.fiji;

import java.util.concurrent.atomic.AtomicInteger;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;

/**
 * A small deterministic denoiser for the Fiji tests: a 3x3 mean per slice (so the output visibly differs from the
 * input), progress per slice and step, cancel checked between slices, and an uncertainty map when samples > 1.
 * With -Ddiffdenoise.test.escapeAfterSlice=N it presses Esc in ImageJ after slice N, as a user would.
 * It stands in for the diffusion model in the Fiji commands while the system property {@value #ACTIVE_PROPERTY} is
 * "true" ({@link StandIn}, registered in src/test/resources/META-INF/services): a property, because the commands run
 * in ImageJ's own class loader, where a static field of this class would be a second copy.
 */
public final class SmoothingTestDenoiser implements Denoiser {
    static final String ACTIVE_PROPERTY = "diffdenoise.test.smoothingStandIn";

    /** The service provider: this denoiser while {@value #ACTIVE_PROPERTY} is "true", else the real model. */
    public static final class StandIn implements DiffusionStandIn {
        @Override
        public java.util.Optional<Denoiser> create() {
            return Boolean.getBoolean(ACTIVE_PROPERTY) ? java.util.Optional.of(new SmoothingTestDenoiser())
                    : java.util.Optional.empty();
        }
    }

    static final AtomicInteger CREATED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();
    static final AtomicInteger DENOISE_CALLS = new AtomicInteger();

    /** For macros: call("org.diffdenoise.fiji.SmoothingTestDenoiser.counts") gives "created closed denoiseCalls". */
    public static String counts() {
        return CREATED.get() + " " + CLOSED.get() + " " + DENOISE_CALLS.get();
    }

    /** Resets the counters (from a macro: call("org.diffdenoise.fiji.SmoothingTestDenoiser.reset")). */
    public static String reset() {
        CREATED.set(0);
        CLOSED.set(0);
        DENOISE_CALLS.set(0);
        return "";
    }

    public SmoothingTestDenoiser() {
        CREATED.incrementAndGet();
    }

    @Override
    public DenoiseResult denoise(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings,
                                 ProgressListener progress, CancelToken cancel) {
        DENOISE_CALLS.incrementAndGet();
        RandomAccessibleInterval<FloatType> in = Views.zeroMin(stack);
        int w = (int) in.dimension(0), h = (int) in.dimension(1);
        int n = in.numDimensions() > 2 ? (int) in.dimension(2) : 1;
        float[] src = new float[w * h * n];
        int k = 0;
        for (FloatType t : Views.flatIterable(in)) src[k++] = t.get();
        float[] out = new float[src.length];
        float[] unc = settings.samples() > 1 ? new float[src.length] : null;
        int escapeAfter = Integer.getInteger("diffdenoise.test.escapeAfterSlice", -1);
        double[] sigma = new double[n];
        for (int z = 0; z < n; z++) {
            cancel.throwIfCancelled();
            int o = z * w * h;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    double sum = 0;
                    int c = 0;
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = x + dx, yy = y + dy;
                            if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                            sum += src[o + yy * w + xx];
                            c++;
                        }
                    out[o + y * w + x] = (float) (sum / c);
                    if (unc != null) unc[o + y * w + x] = Math.abs(src[o + y * w + x] - out[o + y * w + x]) / (float) Math.sqrt(settings.samples());
                }
            sigma[z] = 1.0;
            for (int s = 1; s <= settings.steps(); s++)
                progress.progress("slice " + (z + 1) + "/" + n + " step " + s + "/" + settings.steps(), (long) z * settings.steps() + s, (long) n * settings.steps());
            if (z + 1 == escapeAfter) ij.IJ.setKeyDown(java.awt.event.KeyEvent.VK_ESCAPE);
        }
        cancel.throwIfCancelled();
        ArrayImg<FloatType, FloatArray> result = ArrayImgs.floats(out, w, h, n);
        // says when it was asked to adapt or to keep a coil floor, so tests see the macro keys and the parameters arrive
        return new DenoiseResult(result, unc == null ? null : ArrayImgs.floats(unc, w, h, n), sigma, "CPU",
                unc == null ? null : DenoiseResult.SAMPLE_SD, settings.adapt() ? "adaptation: test denoiser asked to adapt" : null,
                settings.keepCoilFloor() ? "test denoiser asked to keep the coil floor" : null);
    }

    @Override
    public ModelDescriptor describe() {
        return new ModelDescriptor("3x3 mean (test)", "smoothing-test", "1", "");
    }

    @Override
    public void close() {
        CLOSED.incrementAndGet();
    }
}
