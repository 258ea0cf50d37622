package org.diffdenoise.dicom;

import java.nio.file.Path;

/**
 * Where one slice of a series came from and where it lies in the patient.
 *
 * @param file                    source file
 * @param frame                   1-based frame number in a multi-frame source, 0 for a single-frame instance
 * @param sopClassUid             source SOP Class UID
 * @param sopInstanceUid          source SOP Instance UID
 * @param instanceNumber          Instance Number, or Integer.MIN_VALUE when absent
 * @param imagePositionPatient    (x, y, z) of the first pixel in mm, or null when absent
 * @param imageOrientationPatient row then column direction cosines, or null when absent
 * @param pixelSpacing            (row spacing, column spacing) in mm, or null when absent
 * @param sliceThickness          mm, or NaN when absent
 */
public record SliceGeometry(Path file, int frame, String sopClassUid, String sopInstanceUid, int instanceNumber,
                            double[] imagePositionPatient, double[] imageOrientationPatient, double[] pixelSpacing,
                            double sliceThickness) {

    /** The unit normal of the slice plane (row x column), or null when the orientation is unknown. */
    public double[] normal() {
        double[] o = imageOrientationPatient;
        if (o == null || o.length != 6) {
            return null;
        }
        double nx = o[1] * o[5] - o[2] * o[4];
        double ny = o[2] * o[3] - o[0] * o[5];
        double nz = o[0] * o[4] - o[1] * o[3];
        double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
        return len == 0 ? null : new double[] {nx / len, ny / len, nz / len};
    }

    /** Position projected on the given normal (mm), or NaN when the position is unknown. */
    public double positionAlong(double[] normal) {
        double[] p = imagePositionPatient;
        if (p == null || p.length != 3 || normal == null) {
            return Double.NaN;
        }
        return p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2];
    }
}
