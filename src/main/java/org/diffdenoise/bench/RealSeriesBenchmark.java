package org.diffdenoise.bench;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.classical.ClassicalDenoiser;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.noise.NoiseLevelEstimator;
import org.diffdenoise.noise.NoiseStatistics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Denoises frames of the real noisy XA series (no clean reference) and records noise, SNR and CNR in two regions. */
final class RealSeriesBenchmark {
    private final BenchmarkPlan plan;
    private final BenchmarkReport report;
    private final BaselineTuning tuning;

    RealSeriesBenchmark(BenchmarkPlan plan, BenchmarkReport report, BaselineTuning tuning) {
        this.plan = plan;
        this.report = report;
        this.tuning = tuning;
    }

    void run() throws IOException {
        List<FloatImage> frames = BenchmarkData.realNoisyFrames(plan.externalData(), new int[] {10, 40, 70});
        List<Denoiser> ds = new ArrayList<>();
        // no oracle here: the strength tuned for low-dose X-ray, sigma estimated from each frame
        for (ClassicalDenoiser p : plan.baselines()) ds.add(tuning.forLowDoseXray(p));
        if (plan.diffusion() != null) ds.add(plan.diffusion());
        FloatImage f0 = frames.get(0);
        int[][] regions = RegionPicker.pick(f0, 32);
        report.realRegions = regions;
        addReal("noisy (input)", frames, regions, 0);
        for (Denoiser d : ds) {
            long a = System.nanoTime();
            DenoiseResult r = d.denoise(FloatImage.toStack(frames), NoiseFamily.POISSON_GAUSSIAN_XRAY,
                    DenoiseSettings.defaults(), ProgressListener.NONE, CancelToken.none());
            double sec = (System.nanoTime() - a) / 1e9 / frames.size();
            addReal(BenchmarkPlan.methodId(d), FloatImage.fromStack(r.denoised()), regions, sec);
        }
    }

    private void addReal(String method, List<FloatImage> outFrames, int[][] regions, double sec) {
        double sigma = 0, est = 0, snr = 0, cnr = 0;
        for (FloatImage f : outFrames) {
            sigma += NoiseStatistics.haarMadSigma(f) / outFrames.size();
            est += NoiseLevelEstimator.gaussian(f.data(), f.width(), f.height()).sigma() / outFrames.size();
            snr += NoiseStatistics.snr(f, regions[0]) / outFrames.size();
            cnr += NoiseStatistics.cnr(f, regions[0], regions[1]) / outFrames.size();
        }
        report.real.add(new BenchmarkReport.RealRow(method, sigma, est, snr, cnr, sec));
    }
}
