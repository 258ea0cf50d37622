package org.diffdenoise.dicom;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders slices along the slice normal: Image Position Patient projected on the normal from Image Orientation
 * Patient when every slice has both and all share one orientation, else by Instance Number. Frames of one
 * multi-frame file keep their stored order.
 */
public final class SliceOrder {
    private static final double ORIENTATION_TOLERANCE = 1e-4;

    private SliceOrder() {
    }

    /** Returns the indices of {@code slices} in display order (ascending position along the normal). */
    public static int[] order(List<SliceGeometry> slices) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < slices.size(); i++) {
            idx.add(i);
        }
        double[] normal = commonNormal(slices);
        Comparator<Integer> byInstance = Comparator
                .comparingInt((Integer i) -> slices.get(i).instanceNumber())
                .thenComparing(i -> slices.get(i).file().getFileName().toString())
                .thenComparingInt(i -> slices.get(i).frame());
        Comparator<Integer> cmp;
        if (normal != null) {
            cmp = Comparator.<Integer>comparingDouble(i -> slices.get(i).positionAlong(normal)).thenComparing(byInstance);
        } else {
            cmp = byInstance;
        }
        idx.sort(cmp);
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Positions closer than this (mm) along the normal count as the same position. */
    static final double SAME_POSITION_MM = 0.01;

    /**
     * True when two slices adjacent in the given order lie at the same position along their shared normal: several
     * echoes, phases or acquisitions of one location in one series, so that neighbours in series order are not
     * spatial neighbours of one contrast. False without a shared geometry (nothing is known then).
     */
    public static boolean repeatsPositions(List<SliceGeometry> ordered) {
        double[] normal = commonNormal(ordered);
        if (normal == null) return false;
        for (int i = 1; i < ordered.size(); i++)
            if (Math.abs(ordered.get(i).positionAlong(normal) - ordered.get(i - 1).positionAlong(normal)) < SAME_POSITION_MM)
                return true;
        return false;
    }

    /** The shared slice normal, or null when a slice lacks position/orientation or orientations differ. */
    public static double[] commonNormal(List<SliceGeometry> slices) {
        if (slices.isEmpty()) {
            return null;
        }
        double[] first = slices.get(0).imageOrientationPatient();
        double[] normal = slices.get(0).normal();
        if (normal == null) {
            return null;
        }
        for (SliceGeometry g : slices) {
            double[] o = g.imageOrientationPatient();
            if (g.imagePositionPatient() == null || g.imagePositionPatient().length != 3 || o == null || o.length != 6) {
                return null;
            }
            for (int k = 0; k < 6; k++) {
                if (Math.abs(o[k] - first[k]) > ORIENTATION_TOLERANCE) {
                    return null;
                }
            }
        }
        return normal;
    }
}
