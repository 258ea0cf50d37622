package org.diffdenoise.dicom;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes float slices (modality units) as a valid single-frame DICOM series: MR Image Storage, CT Image Storage or
 * CR Image Storage, 16-bit stored values with Rescale Slope/Intercept chosen to keep the range, patient/study/series
 * modules, image plane geometry, Explicit VR Little Endian. Used for benchmark inputs and the bundled demo study.
 */
public final class SyntheticSeriesWriter {

    /**
     * What to put in the headers.
     *
     * @param modality          "MR", "CT" or "CR"
     * @param patientName       DICOM PN, e.g. "Phantom^MR"
     * @param patientId         patient ID
     * @param studyInstanceUid  study to add the series to, or null for a new study
     * @param studyDescription  study description
     * @param seriesDescription series description
     * @param seriesNumber      series number
     * @param pixelSpacingMm    in-plane pixel spacing (mm)
     * @param sliceThicknessMm  slice thickness and spacing (mm)
     */
    public record SeriesSpec(String modality, String patientName, String patientId, String studyInstanceUid,
                             String studyDescription, String seriesDescription, int seriesNumber,
                             double pixelSpacingMm, double sliceThicknessMm) {
        public SeriesSpec {
            if (!List.of("MR", "CT", "CR").contains(modality))
                throw new IllegalArgumentException("modality must be MR, CT or CR, got " + modality);
            if (!(pixelSpacingMm > 0) || !(sliceThicknessMm > 0))
                throw new IllegalArgumentException("pixel spacing and slice thickness must be > 0");
        }

        public SeriesSpec withStudy(String uid, int number, String description) {
            return new SeriesSpec(modality, patientName, patientId, uid, studyDescription, description, number,
                    pixelSpacingMm, sliceThicknessMm);
        }
    }

    /** The slices of a series read back: modality values, the modality, and the identifying UIDs. */
    public record ReadBack(int width, int height, List<float[]> slices, String modality, String studyInstanceUid,
                           String seriesInstanceUid) {
    }

    private SyntheticSeriesWriter() {
    }

    /**
     * Writes one file per slice into {@code dir} (created), named IM0001.dcm ... ; returns the files in slice order.
     *
     * @throws IOException naming the file on failure
     */
    public static List<Path> write(List<float[]> slices, int width, int height, SeriesSpec spec, Path dir) throws IOException {
        if (slices.isEmpty()) throw new IllegalArgumentException("no slices to write");
        for (float[] s : slices)
            if (s.length != width * height) throw new IllegalArgumentException("slice size differs from " + width + "x" + height);
        return Dicom.backend().writeSynthetic(slices, width, height, spec, dir);
    }

    /**
     * Reads the one series of a folder (or one file; multi-frame files give several slices) in slice order, decoded as
     * {@link DicomBackend#load} decodes every series.
     */
    public static ReadBack read(Path dirOrFile) throws IOException {
        return Dicom.backend().readSynthetic(dirOrFile);
    }
}
