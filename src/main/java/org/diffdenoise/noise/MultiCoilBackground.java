package org.diffdenoise.noise;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Reads the number of receive coils and the per-coil noise sigma of a multi-coil magnitude MR image from its
 * background. A root-sum-of-squares over N coils puts the noise-only background on a chi distribution with 2N degrees
 * of freedom (one coil: Rayleigh); its mean over its standard deviation grows with N (1.91 for one coil, about
 * sqrt(4N - 1) above), so the background's mean and SD give N and sigma. The region read is the darkest twentieth of
 * the slice by 9x9 local mean; it counts as background only when it lies at the image border at least as often as a
 * random pixel and its local means are as flat as noise alone makes them, so that dim, flat tissue (an image cropped
 * inside the body) is not read as air.
 */
public final class MultiCoilBackground {

    /** A reading of N at or above this is treated as multi-coil (one coil's Rician background reads 1.00-1.01). */
    public static final double MIN_COILS = 1.5;
    /** Share of the slice, by 9x9 local mean, that is read. */
    static final double REGION_SHARE = 0.05;
    /** Half width of the local-mean window (9x9). */
    static final int HALF_WINDOW = 4;
    /**
     * Largest SD of the region's local means over what independent noise gives (pixel SD / 9) for it to count as
     * background: simulated air reads 0.4-1.2 (white, zero-filled, g-factor, 1-32 coils), the dim tissue of an image
     * without air 2.8 (pydicom's MR_small.dcm).
     */
    static final double MAX_FLATNESS = 2.0;
    /**
     * Smallest share of the region in the image's outer sixteenth, over that frame's share of the image (1: as often
     * at the border as a random pixel): air surrounds the object, so the region of a real background lies at the border
     * at least as often (simulated air 1.2-3.7); dim tissue of an image cropped inside the body lies inside (0.27).
     */
    static final double MIN_BORDER_ENRICHMENT = 1.0;
    /**
     * Rows or columns of exact zeros at each edge left out as not image, at most this fraction of the slice's size (at
     * least 2) per edge; more are masked air.
     */
    static final int MAX_ZERO_EDGE_DIVISOR = 16;

    private MultiCoilBackground() {
    }

    /**
     * One slice's reading.
     *
     * @param coils      number of coils N (not rounded: an effective count)
     * @param sigma      per-coil, per-component noise standard deviation (image units)
     * @param flatness   SD of the region's local means over pixel SD / 9
     * @param borderEnrichment share of the region in the outer sixteenth of the image over that frame's share of the image
     */
    public record Reading(double coils, double sigma, double flatness, double borderEnrichment) {

        /** Whether the background is that of several coils (its floor is worth removing). */
        public boolean multiCoil() {
            return coils >= MIN_COILS;
        }

        /** For reports, e.g. "about 16 coils, per-coil noise sigma 5.37". */
        public String describe() {
            return String.format(Locale.ROOT, "about %.0f coils, per-coil noise sigma %.3g", coils, sigma);
        }
    }

    /**
     * What a series' air tells, each slice read once.
     *
     * @param coils    the coil reading of flat air ({@link #read} per slice, the series rule of {@link #ofSeries})
     * @param airSigma the per-coil noise sigma of any unmasked air at the border ({@link #readLevel} per slice, the same
     *                 rule), for bounding the noise level
     */
    public record SeriesBackground(Optional<Reading> coils, Optional<Double> airSigma) {

        /** No air read (not magnitude MR). */
        public static final SeriesBackground NONE = new SeriesBackground(Optional.empty(), Optional.empty());

        /** The floor to remove before denoising, when the series is multi-coil. */
        public Optional<CoilFloor> floor() {
            return coils.filter(Reading::multiCoil).map(CoilFloor::of);
        }
    }

    /** The air of a series of {@code depth} slices of w x h (slice z given by {@code slice}, read one at a time). */
    public static SeriesBackground background(IntFunction<float[]> slice, int depth, int w, int h) {
        List<Optional<Reading>> coils = new ArrayList<>(), levels = new ArrayList<>();
        int levelWindow = levelHalfWindow(w, h);
        for (int z = 0; z < depth; z++) {
            Optional<Image> image = magnitude(slice.apply(z), w, h);
            Optional<Region> coilRegion = image.flatMap(i -> region(i, HALF_WINDOW));
            Optional<Region> levelRegion = levelWindow == HALF_WINDOW ? coilRegion : image.flatMap(i -> region(i, levelWindow));
            coils.add(coilRegion.filter(Region::flat).map(Region::reading));
            levels.add(levelRegion.filter(Region::unmasked).map(Region::reading));
        }
        return new SeriesBackground(ofSeries(coils), ofSeries(levels).map(Reading::sigma));
    }

    /**
     * The reading of a slice (w x h, row-major), or empty when it has no background to read: negative or non-finite
     * values (not a magnitude image), a constant background (masked air), or a dark region that is not at the border
     * or not flat.
     */
    public static Optional<Reading> read(float[] slice, int w, int h) {
        return magnitude(slice, w, h).flatMap(i -> region(i, HALF_WINDOW)).filter(Region::flat).map(Region::reading);
    }

    /**
     * The background's reading for bounding the noise level: as {@link #read} but without the flatness guard, since air
     * whose noise level varies (coil sensitivities, intensity normalization: real 32-channel scanner slices read a
     * flatness of 3.4-4.4) still tells how strong the noise is, and a region of dim tissue only gives a looser bound; a
     * region that is a quarter or more at the slice's lowest value (air masked to 0, or to the rescale intercept;
     * mosaic padding) gives none. The region is chosen by a wider local mean ({@link #levelHalfWindow}).
     */
    public static Optional<Reading> readLevel(float[] slice, int w, int h) {
        return magnitude(slice, w, h).flatMap(i -> region(i, levelHalfWindow(w, h))).filter(Region::unmasked).map(Region::reading);
    }

    /**
     * Half width of the local mean that chooses the region read for the level: a sixteenth of the slice (at least
     * {@link #HALF_WINDOW}). The darkest local means are partly the darkest noise of the pixels then measured, so the
     * level reads low, the more so the fewer independent samples a window holds: with 9 x 9 windows simulated single-coil
     * air around Colin27 T1 slices (181 x 217) read 0.92 of its sigma (white) and 0.85 (zero-filled 2x); with 23 x 23
     * about 0.97 and 0.96.
     */
    static int levelHalfWindow(int w, int h) {
        return Math.max(HALF_WINDOW, Math.min(w, h) / 16);
    }

    // the darkest region of a slice at the border, read without the flatness and masking guards, and whether it passes them
    private record Region(Reading reading, boolean flat, boolean unmasked) {
    }

    /** The slice without its zero edge lines, or empty when it is not a magnitude image (negative or non-finite values). */
    private static Optional<Image> magnitude(float[] full, int fullW, int fullH) {
        if (full.length != (long) fullW * fullH) throw new IllegalArgumentException("slice has " + full.length + " values, expected " + fullW + "x" + fullH);
        Image image = withoutZeroEdges(full, fullW, fullH);
        for (float v : image.pixels()) if (!(v >= 0) || Float.isInfinite(v)) return Optional.empty();
        return Optional.of(image);
    }

    /** The darkest region of a magnitude image by local means of half width {@code halfWindow}, read. */
    private static Optional<Region> region(Image image, int halfWindow) {
        float[] slice = image.pixels();
        int w = image.width(), h = image.height();
        if (w < 4 * (2 * halfWindow + 1) || h < 4 * (2 * halfWindow + 1)) return Optional.empty();
        float[] local = localMeans(slice, w, h, halfWindow);
        float lowest = Float.POSITIVE_INFINITY;
        for (float v : slice) lowest = Math.min(lowest, v);
        float cut = OrderStatistics.selectInPlace(local.clone(), local.length, (int) (REGION_SHARE * (local.length - 1)));
        int bw = Math.max(2, Math.min(w, h) / 16);
        double s = 0, s2 = 0, l = 0, l2 = 0;
        int n = 0, border = 0, atLowest = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (local[i] > cut) continue;
                if (slice[i] == lowest) atLowest++;
                s += slice[i];
                s2 += (double) slice[i] * slice[i];
                l += local[i];
                l2 += (double) local[i] * local[i];
                n++;
                if (x < bw || y < bw || x >= w - bw || y >= h - bw) border++;
            }
        double mean = s / n, sd = Math.sqrt(Math.max(s2 / n - mean * mean, 0));
        if (!(sd > 0) || !(mean > 0)) return Optional.empty();
        double localSd = Math.sqrt(Math.max(l2 / n - (l / n) * (l / n), 0));
        double frameShare = 1 - (double) (w - 2 * bw) * (h - 2 * bw) / ((double) w * h);
        double flatness = localSd / (sd / (2 * halfWindow + 1)), borderEnrichment = (double) border / n / frameShare;
        if (borderEnrichment < MIN_BORDER_ENRICHMENT) return Optional.empty();
        double dof = degreesOfFreedom(mean / sd);
        return Optional.of(new Region(new Reading(dof / 2, mean / chiMean(dof), flatness, borderEnrichment),
                flatness <= MAX_FLATNESS, 4 * atLowest < n));
    }

    private record Image(float[] pixels, int width, int height) {
    }

    /**
     * The slice without the rows and columns of exact zeros at each edge, up to a sixteenth of its size (at least 2)
     * per edge: they are not image (Siemens leaves each slice's first row and column 0, also in every tile of a
     * mosaic; GE's EPI leaves up to 6 rows of a 256 x 256 slice 0); more of them are masked air, and stay in to be
     * recognized as such.
     */
    private static Image withoutZeroEdges(float[] v, int w, int h) {
        int x0 = 0, x1 = w, y0 = 0, y1 = h;
        int maxRows = Math.max(2, h / MAX_ZERO_EDGE_DIVISOR), maxColumns = Math.max(2, w / MAX_ZERO_EDGE_DIVISOR);
        while (y0 < maxRows && y0 < y1 && zeroRow(v, w, y0, x0, x1)) y0++;
        while (y1 > h - maxRows && y1 > y0 && zeroRow(v, w, y1 - 1, x0, x1)) y1--;
        while (x0 < maxColumns && x0 < x1 && zeroColumn(v, w, x0, y0, y1)) x0++;
        while (x1 > w - maxColumns && x1 > x0 && zeroColumn(v, w, x1 - 1, y0, y1)) x1--;
        if (x0 == 0 && y0 == 0 && x1 == w && y1 == h) return new Image(v, w, h);
        int cw = x1 - x0, ch = y1 - y0;
        float[] out = new float[cw * ch];
        for (int y = 0; y < ch; y++) System.arraycopy(v, (y0 + y) * w + x0, out, y * cw, cw);
        return new Image(out, cw, ch);
    }

    private static boolean zeroRow(float[] v, int w, int y, int x0, int x1) {
        for (int x = x0; x < x1; x++) if (v[y * w + x] != 0) return false;
        return true;
    }

    private static boolean zeroColumn(float[] v, int w, int x, int y0, int y1) {
        for (int y = y0; y < y1; y++) if (v[y * w + x] != 0) return false;
        return true;
    }

    /**
     * The series' reading from its slices' readings: the medians of N and sigma over the slices that have one, when at
     * least half of them do (a coil count is the acquisition's, not a slice's); empty otherwise.
     */
    public static Optional<Reading> ofSeries(List<Optional<Reading>> perSlice) {
        List<Reading> rs = perSlice.stream().flatMap(Optional::stream).toList();
        if (rs.isEmpty() || 2 * rs.size() < perSlice.size()) return Optional.empty();
        return Optional.of(new Reading(median(rs.stream().mapToDouble(Reading::coils).toArray()),
                median(rs.stream().mapToDouble(Reading::sigma).toArray()),
                median(rs.stream().mapToDouble(Reading::flatness).toArray()),
                median(rs.stream().mapToDouble(Reading::borderEnrichment).toArray())));
    }

    /** Degrees of freedom k of the chi distribution whose mean / SD is {@code ratio} (2 to 800; ratios below Rayleigh's give 2). */
    static double degreesOfFreedom(double ratio) {
        double lo = 2, hi = 800;
        for (int it = 0; it < 60; it++) {
            double k = 0.5 * (lo + hi);
            if (meanOverSd(k) < ratio) lo = k;
            else hi = k;
        }
        return 0.5 * (lo + hi);
    }

    private static double meanOverSd(double k) {
        double mu = chiMean(k);
        return mu / Math.sqrt(Math.max(k - mu * mu, 1e-12));
    }

    /** Mean of a unit-scale chi distribution with k degrees of freedom: sqrt(2) Gamma((k + 1) / 2) / Gamma(k / 2). */
    static double chiMean(double k) {
        return Math.sqrt(2) * Math.exp(GammaFunctions.logGamma((k + 1) / 2) - GammaFunctions.logGamma(k / 2));
    }

    // box means of (2 halfWindow + 1)^2 pixels, the window clipped at the edges (summed-area table)
    private static float[] localMeans(float[] v, int w, int h, int halfWindow) {
        double[] sat = new double[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            double row = 0;
            for (int x = 0; x < w; x++) {
                row += v[y * w + x];
                sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
            }
        }
        float[] out = new float[v.length];
        for (int y = 0; y < h; y++) {
            int y0 = Math.max(0, y - halfWindow), y1 = Math.min(h, y + halfWindow + 1);
            for (int x = 0; x < w; x++) {
                int x0 = Math.max(0, x - halfWindow), x1 = Math.min(w, x + halfWindow + 1);
                double sum = sat[y1 * (w + 1) + x1] - sat[y0 * (w + 1) + x1] - sat[y1 * (w + 1) + x0] + sat[y0 * (w + 1) + x0];
                out[y * w + x] = (float) (sum / ((y1 - y0) * (x1 - x0)));
            }
        }
        return out;
    }

    private static double median(double[] v) {
        return OrderStatistics.medianInPlace(v.clone(), v.length);
    }
}
