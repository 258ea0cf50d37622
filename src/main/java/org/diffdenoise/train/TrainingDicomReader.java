package org.diffdenoise.train;

import java.io.File;
import java.io.IOException;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.display.SourceImage;

/**
 * Reads the few single-frame grayscale training DICOM files to modality values (stored value * slope + intercept).
 * A stop-gap for training only: to be replaced by the project's org.diffdenoise.dicom reader once merged.
 */
final class TrainingDicomReader {

    private TrainingDicomReader() {
    }

    /** A decoded frame with its instance number (for slice order). */
    record Frame(int width, int height, float[] pixels, int instanceNumber) {
    }

    static Frame read(File file) throws IOException {
        try {
            AttributeList list = new AttributeList();
            list.read(file);
            int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
            int cols = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
            int spp = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
            if (rows <= 0 || cols <= 0 || spp != 1)
                throw new IOException(file + ": not a single-channel image (rows=" + rows + ", cols=" + cols + ", samples=" + spp + ")");
            boolean signed = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0) == 1;
            double slope = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 1.0);
            double intercept = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0.0);
            int instance = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.InstanceNumber, 0);
            // SourceImage decodes compressed transfer syntaxes too; read the stored values from its raster
            SourceImage si = new SourceImage(list);
            java.awt.image.Raster raster = si.getBufferedImage(0).getRaster();
            int[] stored = raster.getSamples(0, 0, cols, rows, 0, (int[]) null);
            int bitsStored = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, 16);
            float[] px = new float[rows * cols];
            for (int i = 0; i < px.length; i++) {
                int v = stored[i];
                if (signed && bitsStored < 32) {
                    // sign-extend in case the raster holds the raw bit pattern
                    int shift = 32 - bitsStored;
                    v = (v << shift) >> shift;
                }
                px[i] = (float) (v * slope + intercept);
            }
            return new Frame(cols, rows, px, instance);
        } catch (DicomException e) {
            throw new IOException(file + ": cannot decode DICOM: " + e.getMessage(), e);
        }
    }
}
