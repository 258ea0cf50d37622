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
     * Whether the neighbours of each slice in the given order are its spatial neighbours, so that they can serve as
     * 2.5D context: false when the slices have geometry but no common orientation (a three-plane localizer, a
     * position missing on some) or when two adjacent slices lie at the same position along the normal (several
     * echoes, phases or acquisitions of one location in one series). True without any geometry (e.g. XA frames,
     * whose neighbours are the next frames in time): nothing speaks against them then.
     */
    public static boolean neighboursAreSpatial(List<SliceGeometry> ordered) {
        boolean anyGeometry = ordered.stream().anyMatch(g -> g.imagePositionPatient() != null || g.imageOrientationPatient() != null);
        if (!anyGeometry) return true;
        double[] normal = commonNormal(ordered);
        if (normal == null) return false;
        for (int i = 1; i < ordered.size(); i++)
            if (Math.abs(ordered.get(i).positionAlong(normal) - ordered.get(i - 1).positionAlong(normal)) < SAME_POSITION_MM)
                return false;
        return true;
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
