package org.diffdenoise.noise;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

import org.diffdenoise.api.NoiseFamily;

/**
 * Estimates a slice's noise as a per-pixel level map plus a description of its spatial correlation, so that
 * correlated noise (CT kernels, zero-filled MR, detector blur) and spatially varying noise (parallel-imaging g-factor,
 * signal-dependent X-ray noise) are measured at their true per-pixel standard deviation.
 *
 * <p>Why: {@link NoiseLevelEstimator} reads the finest Haar scale only, which holds all of white noise but only part of
 * correlated noise (a third of it for a Hann-filtered CT slice). Here the orthonormal Haar transform is taken over
 * several scales: for stationary noise the per-pixel variance is the sum over scales j of 3 4^-j v_j (v_j the variance
 * of a scale-j detail coefficient, three orientations per scale) plus the coarsest remainder, extrapolated as 4^-J v_J.
 * Each v_j is the squared MAD of the diagonal detail HH_j (blind to linear ramps; the noise is taken as isotropic)
 * over the smoother half of the blocks (those whose LH^2 + HL^2 lies below the median; for stationary Gaussian noise
 * HH is independent of LH and HL, so the selection does not bias it). For MR magnitude only foreground blocks count
 * (block mean at least {@value #FOREGROUND_SNR} sigma above the 5th percentile of block means, which is where air sits
 * for one coil or many). The shares 3 4^-j v_j / total are the correlation descriptor (a coarse noise power spectrum);
 * the finest scale's horizontal-and-vertical over diagonal variance in flat regions ({@link HaarScale#axisToDiagonal})
 * adds what the shares miss: a spectrum cut off radially (ramp-kernel CT) leaves the diagonal corners empty.
 *
 * <p>Where the total agrees with the white-noise estimator within {@value #WHITE_TOLERANCE} (white noise), that
 * estimator's value is kept, so white noise is measured exactly as before. The map: for Poisson-Gaussian noise the
 * white estimator's gain/read fit (its sigma map sqrt(gain box5(y) + read^2)) scaled by the ratio of the multi-scale
 * total to the finest-scale variance; for the other families a local level relative to the global one, measured on the
 * scale that carries most of the noise in windows of 16 x 16 blocks (stride 8), kept only when its spread over the
 * windows is well beyond what the windows' own sampling error explains, smoothed and interpolated bilinearly.
 *
 * <p>Parts: {@link HaarScale} (the transform), {@link WindowedNoiseMap} (per-window scale variances and the map),
 * {@link CorrelationCorrection} (shares, scale ratio and the correlated-noise factor), {@link RadialCutoff} (the
 * white estimate's factor for a sharp CT kernel).
 */
public final class NoiseFieldEstimator {

    /** Relative agreement under which the white-noise estimator's value is kept. */
    public static final double WHITE_TOLERANCE = 0.10;
    /** MR foreground: block mean at least this many sigmas above the air level. */
    static final double FOREGROUND_SNR = 5;

    private NoiseFieldEstimator() {
    }

    /** Estimates the noise field of {@code img} (w x h, row-major, modality units) for a noise family. */
    public static NoiseField estimate(float[] img, int w, int h, NoiseFamily family) {
        if (img.length != (long) w * h) throw new IllegalArgumentException("image has " + img.length + " values, expected " + w + "x" + h);
        boolean mr = family == NoiseFamily.RICIAN_MR;
        int levels = Math.min(w, h) >= 128 ? 3 : 2;
        // the white-noise estimate and the Haar pyramid (with, for the families other than MR, its windows, which do not
        // depend on that estimate) are independent: the pyramid side runs on the common pool meanwhile
        ForkJoinTask<Pyramid> side = null;
        if (w >= NoiseLevelEstimator.MIN_SIZE && h >= NoiseLevelEstimator.MIN_SIZE && ForkJoinPool.getCommonPoolParallelism() > 0
                && Runtime.getRuntime().availableProcessors() > 1)
            side = ForkJoinTask.adapt(() -> Pyramid.of(img, w, h, levels, mr)).fork();
        NoiseEstimate base = NoiseLevelEstimator.estimate(img, w, h, family);
        Pyramid p = side != null ? side.join() : base.sigma() == 0 ? null : Pyramid.of(img, w, h, levels, mr);
        if (base.sigma() == 0) return constant(w, h, base, new double[0], 1, base.method());
        HaarScale[] scales = p.scales();
        if (scales.length < 2) return constant(w, h, base, new double[0], 1, base.method() + "; too small for the multi-scale measure");
        double airLevel = p.airLevel();
        // no air in the slice (the 5th percentile is tissue): the foreground threshold starts from zero
        if (airLevel > 10 * base.sigma()) airLevel = 0;
        WindowedNoiseMap win = p.allBlocks();
        double guess = base.sigma();
        double minMean = Double.NaN;
        for (int it = 0; it < (mr ? 3 : 0); it++) {
            double next = airLevel + FOREGROUND_SNR * guess;
            // the same blocks as the last pass give the same windows and guess, as would every later pass
            if (win != null && WindowedNoiseMap.sameBlocks(scales, minMean, next)) break;
            minMean = next;
            win = WindowedNoiseMap.measure(scales, w, h, minMean);
            if (win.valid() < 1) break;
            guess = Math.sqrt(win.medianTotal());
        }
        if (win == null || win.valid() < 1) return constant(w, h, base, new double[0], 1, base.method() + "; too few blocks for the multi-scale measure");
        CorrelationCorrection cc = CorrelationCorrection.of(win, scales.length);
        double[] shares = cc.shares();
        int js = cc.dominant();
        double corr = cc.ratio();
        boolean correlated = cc.correlated();
        double k2 = cc.varianceFactor();
        String spectrum = cc.describe();

        if (base.signalDependent()) {
            double k = Math.sqrt(k2);
            float[] map = SignalDependentSigma.map(finite(img), w, h, base.gain() * k2, base.readSigma() * k);
            String m = !correlated ? base.method() + "; white (" + spectrum + ")"
                    : base.method() + String.format(Locale.ROOT, ", scaled x%.3f for correlated noise (%s)", k, spectrum);
            return new NoiseField(map, NoiseRealization.rms(map), shares, corr, p.axisRatio(), base.gain() * k2, base.readSigma() * k, m);
        }
        // local level: sqrt(k2 v_1) per window, smoothed; its variation (when significant) from the scale that carries
        // most of the noise, interpolated between window centres
        double[] local = new double[win.count()], rel = new double[win.count()];
        for (int i = 0; i < local.length; i++) {
            local[i] = Math.sqrt(k2 * win.v()[0][i]);
            rel[i] = Math.sqrt(win.v()[js][i]);
        }
        double[] sm = WindowedNoiseMap.smooth(rel, win.gx(), win.gy());
        boolean varies = WindowedNoiseMap.significantSpread(rel, js);
        // a varying level is measured where it is (the whole-slice selection of smooth blocks favours quiet regions)
        double globalLevel = correlated || varies ? WindowedNoiseMap.median(WindowedNoiseMap.smooth(local, win.gx(), win.gy())) : base.sigma();
        // a sharp CT kernel's spectrum, cut off radially, leaves the diagonal detail the white estimate reads short
        double radialAxis = family == NoiseFamily.GAUSSIAN_CT && !correlated ? scales[0].axisToDiagonalTrimmed(scales[1], RadialCutoff.QUIET_SHARE) : 1;
        double radial = RadialCutoff.factor(radialAxis, corr);
        globalLevel *= radial;
        float[] map = new float[w * h];
        if (varies) map = WindowedNoiseMap.interpolate(sm, win.gx(), win.gy(), w, h, globalLevel / WindowedNoiseMap.median(sm));
        else Arrays.fill(map, (float) globalLevel);
        String m = (!correlated ? base.method() + (radial > 1 ? String.format(Locale.ROOT,
                "; x%.3f for a radially cut-off spectrum (axis/diagonal %.2f)", radial, radialAxis) : "; white") : String.format(Locale.ROOT,
                "multi-scale Haar MAD in %d windows, x%.3f for correlated noise (white-noise estimate %.4g)", win.valid(),
                Math.sqrt(k2), base.sigma())) + " (" + spectrum + ")" + (varies ? "; varying level" : "");
        return new NoiseField(map, NoiseRealization.rms(map), shares, corr, p.axisRatio(), 0, globalLevel, m);
    }

    /**
     * The part of the estimate that needs no noise level: the Haar scales, the MR air level, for the other families
     * the windows over all blocks (MR windows keep only the foreground, whose threshold needs the level), and the
     * finest scale's axis-to-diagonal ratio.
     */
    private record Pyramid(HaarScale[] scales, double airLevel, WindowedNoiseMap allBlocks, double axisRatio) {
        static Pyramid of(float[] img, int w, int h, int levels, boolean mr) {
            HaarScale[] scales = HaarScale.pyramid(img, w, h, levels);
            if (scales.length < 2) return new Pyramid(scales, 0, null, 1);
            return new Pyramid(scales, mr ? scales[1].airLevel() : 0,
                    mr ? null : WindowedNoiseMap.measure(scales, w, h, Double.NEGATIVE_INFINITY), scales[0].axisToDiagonal(scales[1]));
        }
    }

    private static NoiseField constant(int w, int h, NoiseEstimate e, double[] shares, double corr, String method) {
        float[] map = e.signalDependent() ? null : NoiseModel.constantSigmaMap(w * h, e.sigma());
        return new NoiseField(map == null ? NoiseModel.constantSigmaMap(w * h, e.sigma()) : map, e.sigma(), shares, corr, 1, e.gain(), e.readSigma(), method);
    }

    static float[] finite(float[] img) {
        float[] out = img.clone();
        for (int i = 0; i < out.length; i++) if (!Float.isFinite(out[i])) out[i] = 0;
        return out;
    }
}
