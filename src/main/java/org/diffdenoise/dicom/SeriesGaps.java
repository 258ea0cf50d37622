package org.diffdenoise.dicom;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Evidence in a series' own headers that some of its images are missing. Only regular patterns are trusted, because
 * legitimate series are often irregular (several stacks, variable spacing, numbering with gaps after a scanner dropped
 * a localizer):
 * <ul>
 * <li>positions (when every slice has Image Position/Orientation (Patient) with one orientation): the distinct
 *     positions along the normal form an evenly spaced stack except for steps that are whole multiples (2x, 3x...)
 *     of the regular spacing, the regular steps are the majority (at least two) and the images missing are no more
 *     than those present (a jump over more is two stacks or a deliberate subset); or one position holds fewer
 *     images than every other (one echo or phase of several missing);</li>
 * <li>Instance Numbers, only when positions cannot be used: the same rule on the numbers (1,2,4,5 has a hole; 1,3,5,7
 *     is regular numbering).</li>
 * </ul>
 * An irregular stack says nothing; a series of fewer than three images is never judged.
 */
public final class SeriesGaps {
    /** A step counts as k times the regular step within this fraction of it. */
    static final double TOLERANCE = 0.05;

    private SeriesGaps() {
    }

    /** The evidence of missing images in a series of single-frame images, or null when there is none. */
    public static String find(List<SliceGeometry> slices) {
        if (slices.size() < 3) return null;
        double[] normal = SliceOrder.commonNormal(slices);
        if (normal != null) {
            return positionGap(slices, normal);
        }
        if (slices.stream().anyMatch(g -> g.instanceNumber() == Integer.MIN_VALUE)) return null;
        List<SliceGeometry> byNumber = new ArrayList<>(slices);
        byNumber.sort(Comparator.comparingInt(SliceGeometry::instanceNumber));
        for (int i = 1; i < byNumber.size(); i++) {
            if (byNumber.get(i).instanceNumber() == byNumber.get(i - 1).instanceNumber()) return null;  // not a numbering
        }
        double[] values = byNumber.stream().mapToDouble(SliceGeometry::instanceNumber).toArray();
        Gap g = gap(values);
        if (g == null) return null;
        return String.format(Locale.ROOT, "Instance Numbers jump from %d to %d (%s to %s) in a series numbered in steps"
                        + " of %d: about %d image(s) missing", byNumber.get(g.index - 1).instanceNumber(),
                byNumber.get(g.index).instanceNumber(), name(byNumber.get(g.index - 1)), name(byNumber.get(g.index)),
                Math.round(g.step), g.missing);
    }

    private static String positionGap(List<SliceGeometry> slices, double[] normal) {
        List<SliceGeometry> sorted = new ArrayList<>(slices);
        sorted.sort(Comparator.comparingDouble(g -> g.positionAlong(normal)));
        // distinct positions and how many images each holds (several echoes or phases per position)
        List<SliceGeometry> first = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (SliceGeometry g : sorted) {
            if (!first.isEmpty() && Math.abs(g.positionAlong(normal) - first.get(first.size() - 1).positionAlong(normal))
                    < SliceOrder.SAME_POSITION_MM) {
                counts.set(counts.size() - 1, counts.get(counts.size() - 1) + 1);
            } else {
                first.add(g);
                counts.add(1);
            }
        }
        if (first.size() >= 3) {
            int most = counts.stream().mapToInt(Integer::intValue).max().orElse(1);
            long full = counts.stream().filter(c -> c == most).count();
            if (most > 1 && full >= 2 && full > counts.size() - full) {
                for (int i = 0; i < counts.size(); i++) {
                    if (counts.get(i) < most) {
                        return String.format(Locale.ROOT, "the position %.2f mm (%s) holds %d image(s), every other"
                                + " position %d (an echo or phase is missing)", first.get(i).positionAlong(normal),
                                name(first.get(i)), counts.get(i), most);
                    }
                }
            }
        }
        double[] values = first.stream().mapToDouble(g -> g.positionAlong(normal)).toArray();
        Gap g = gap(values);
        if (g == null) return null;
        return String.format(Locale.ROOT, "a position is missing in the evenly spaced stack: slices %.4g mm apart, but"
                        + " %.4g mm between %s and %s (about %d slice(s) missing)", g.step, values[g.index] - values[g.index - 1],
                name(first.get(g.index - 1)), name(first.get(g.index)), g.missing);
    }

    /** The first irregular step (ascending values), how far, and how many values fit in it. */
    private record Gap(int index, double step, long missing) {
    }

    /**
     * A gap in ascending {@code values}: the median step is the regular one; every step must be a whole multiple of it;
     * the regular steps must be at least two and more than the long ones. Null when there is none or the values are
     * irregular.
     */
    static Gap gap(double[] values) {
        int n = values.length - 1;
        if (n < 2) return null;
        double[] steps = new double[n];
        for (int i = 0; i < n; i++) steps[i] = values[i + 1] - values[i];
        double[] sorted = steps.clone();
        java.util.Arrays.sort(sorted);
        double step = sorted[n / 2];
        if (!(step > 0)) return null;
        int regular = 0;
        int longSteps = 0;
        int firstLong = -1;
        long missing = 0;
        for (int i = 0; i < n; i++) {
            double r = steps[i] / step;
            long k = Math.round(r);
            if (k < 1 || Math.abs(r - k) > TOLERANCE * k) return null;  // not a multiple: an irregular stack
            if (k == 1) {
                regular++;
            } else {
                longSteps++;
                missing += k - 1;
                if (firstLong < 0) firstLong = i + 1;
            }
        }
        // a jump over more positions than the series holds is two stacks (or a subset), not a lost file
        if (longSteps == 0 || regular < 2 || regular <= longSteps || missing > values.length) return null;
        return new Gap(firstLong, step, missing);
    }

    private static String name(SliceGeometry g) {
        return g.file() == null ? "?" : String.valueOf(g.file().getFileName());
    }
}
