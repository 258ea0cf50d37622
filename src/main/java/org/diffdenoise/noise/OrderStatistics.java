package org.diffdenoise.noise;

/**
 * Order statistics by selection (expected linear time) instead of a full sort, for the noise estimators' medians and
 * quantiles. The k-th value is exactly the one {@code Arrays.sort} would put at index k: values are ordered as
 * {@link Float#compare} / {@link Double#compare} order them (-0 before +0, NaN last), the order {@code Arrays.sort}
 * uses, so every result is bit-identical to the sorted one.
 */
final class OrderStatistics {

    private OrderStatistics() {
    }

    /**
     * The value at index {@code k} of {@code v[0..n)} sorted ascending. Reorders {@code v[0..n)}: afterwards
     * {@code v[k]} holds that value, everything before it is not greater and everything after it not smaller.
     */
    static float selectInPlace(float[] v, int n, int k) {
        if (k < 0 || k >= n || n > v.length) throw new IllegalArgumentException("index " + k + " outside 0.." + (n - 1));
        int lo = 0, hi = n - 1;
        while (hi > lo) {
            // median of three as the pivot; a three-way partition keeps runs of equal values (quantized images) linear
            int mid = (lo + hi) >>> 1;
            float a = v[lo], b = v[mid], c = v[hi];
            float pivot = Float.compare(a, b) < 0
                    ? (Float.compare(b, c) < 0 ? b : Float.compare(a, c) < 0 ? c : a)
                    : (Float.compare(a, c) < 0 ? a : Float.compare(b, c) < 0 ? c : b);
            int lt = lo, i = lo, gt = hi;
            while (i <= gt) {
                // plain comparisons decide all but ties, -0/+0 and NaN (no call per value: the first slice runs this
                // interpreted); those take Float.compare
                float x = v[i];
                int cmp = x < pivot ? -1 : x > pivot ? 1 : Float.compare(x, pivot);
                if (cmp < 0) swap(v, lt++, i++);
                else if (cmp > 0) swap(v, i, gt--);
                else i++;
            }
            // v[lo..lt) < pivot, v[lt..gt] == pivot, v(gt..hi] > pivot
            if (k < lt) hi = lt - 1;
            else if (k > gt) lo = gt + 1;
            else return v[k];
        }
        return v[k];
    }

    /** The largest value of {@code v[from..to)} in {@link Float#compare} order ({@code to > from}). */
    static float max(float[] v, int from, int to) {
        float m = v[from];
        for (int i = from + 1; i < to; i++) if (Float.compare(v[i], m) > 0) m = v[i];
        return m;
    }

    /**
     * The median of {@code v[0..n)} as the sorted formula gives it: the middle value, or for even n
     * {@code 0.5 * (lower + upper)} with the two middle values added in float, as {@code c[n/2-1] + c[n/2]} does.
     * Reorders {@code v[0..n)}.
     */
    static double medianInPlace(float[] v, int n) {
        if (n == 0) throw new IllegalArgumentException("median of no values");
        float upper = selectInPlace(v, n, n / 2);
        if (n % 2 == 1) return upper;
        float lower = max(v, 0, n / 2);
        return 0.5 * (lower + upper);
    }

    /** As {@link #selectInPlace(float[], int, int)} for doubles, in {@link Double#compare} order. */
    static double selectInPlace(double[] v, int n, int k) {
        if (k < 0 || k >= n || n > v.length) throw new IllegalArgumentException("index " + k + " outside 0.." + (n - 1));
        int lo = 0, hi = n - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            double a = v[lo], b = v[mid], c = v[hi];
            double pivot = Double.compare(a, b) < 0
                    ? (Double.compare(b, c) < 0 ? b : Double.compare(a, c) < 0 ? c : a)
                    : (Double.compare(a, c) < 0 ? a : Double.compare(b, c) < 0 ? c : b);
            int lt = lo, i = lo, gt = hi;
            while (i <= gt) {
                double x = v[i];
                int cmp = x < pivot ? -1 : x > pivot ? 1 : Double.compare(x, pivot);
                if (cmp < 0) swap(v, lt++, i++);
                else if (cmp > 0) swap(v, i, gt--);
                else i++;
            }
            if (k < lt) hi = lt - 1;
            else if (k > gt) lo = gt + 1;
            else return v[k];
        }
        return v[k];
    }

    /** As {@link #medianInPlace(float[], int)} for doubles: {@code 0.5 * (lower + upper)} for even n. */
    static double medianInPlace(double[] v, int n) {
        if (n == 0) throw new IllegalArgumentException("median of no values");
        double upper = selectInPlace(v, n, n / 2);
        if (n % 2 == 1) return upper;
        double lower = v[0];
        for (int i = 1; i < n / 2; i++) if (Double.compare(v[i], lower) > 0) lower = v[i];
        return 0.5 * (lower + upper);
    }

    private static void swap(float[] v, int i, int j) {
        float t = v[i];
        v[i] = v[j];
        v[j] = t;
    }

    private static void swap(double[] v, int i, int j) {
        double t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}
