package org.diffdenoise.pipeline;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/** A 3x3 in-plane mean filter: a simple, predictable denoiser for testing the pipeline without a network. */
final class MeanFilterDenoiser implements Denoiser {

    int closed;
    int slicesDone;
    DenoiseSettings lastSettings;

    @Override
    public DenoiseResult denoise(RandomAccessibleInterval<FloatType> stack, NoiseFamily family, DenoiseSettings settings,
                                 ProgressListener progress, CancelToken cancel) {
        lastSettings = settings;
        long w = stack.dimension(0), h = stack.dimension(1), n = stack.numDimensions() > 2 ? stack.dimension(2) : 1;
        ArrayImg<FloatType, FloatArray> out = ArrayImgs.floats(w, h, n);
        RandomAccess<FloatType> in = Views.extendBorder(stack).randomAccess();
        Cursor<FloatType> c = out.localizingCursor();
        long[] p = new long[3];
        long lastZ = -1;
        while (c.hasNext()) {
            c.fwd();
            c.localize(p);
            if (p[2] != lastZ) {
                cancel.throwIfCancelled();
                progress.progress("slice " + (p[2] + 1) + "/" + n, p[2], n);
                lastZ = p[2];
                slicesDone++;
            }
            double sum = 0;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    in.setPosition(new long[] {p[0] + dx, p[1] + dy, stack.numDimensions() > 2 ? p[2] : 0});
                    sum += in.get().get();
                }
            c.get().set((float) (sum / 9));
        }
        double[] sigma = new double[(int) n];
        // several "samples": |input - mean| stands in for their standard deviation (non-negative, varies per pixel)
        ArrayImg<FloatType, FloatArray> sd = null;
        if (settings.samples() > 1) {
            sd = ArrayImgs.floats(w, h, n);
            Cursor<FloatType> o = out.cursor();
            Cursor<FloatType> u = sd.cursor();
            Cursor<FloatType> y = Views.flatIterable(Views.zeroMin(stack)).cursor();
            while (u.hasNext()) u.next().set(Math.abs(y.next().get() - o.next().get()));
        }
        return new DenoiseResult(out, sd, sigma, "CPU");
    }

    @Override
    public ModelDescriptor describe() {
        return new ModelDescriptor("3x3 mean filter (test)", "mean3", "1", "");
    }

    @Override
    public void close() {
        closed++;
    }
}
