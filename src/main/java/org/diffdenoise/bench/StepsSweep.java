package org.diffdenoise.bench;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.diffdenoise.noise.NoiseModel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Quality and time of the diffusion denoiser per number of reverse steps and of averaged samples, on one case. */
final class StepsSweep {
    private final BenchmarkPlan plan;
    private final BenchmarkReport report;

    StepsSweep(BenchmarkPlan plan, BenchmarkReport report) {
        this.plan = plan;
        this.report = report;
    }

    void run() {
        Denoiser diffusion = plan.diffusion();
        List<BenchmarkData.Reference> refs = plan.references();
        BenchmarkData.Reference ref = refs.stream().filter(r -> r.modality().equals("MR")).findFirst().orElse(refs.get(0));
        double range = FloatImage.range(ref.slices());
        // MR at 5 %; a run without MR references (--only) sweeps its first reference at that modality's strongest level
        List<double[]> levels = BenchmarkPlan.levels(ref.modality());
        double[] level = ref.modality().equals("MR") ? new double[] {0.05} : levels.get(levels.size() - 1);
        NoiseModel nm = BenchmarkPlan.noiseModel(ref.modality(), level, range);
        String label = ref.name() + " " + BenchmarkPlan.levelLabel(ref.modality(), level);
        SplittableRandom rng = new SplittableRandom(99);
        List<FloatImage> noisy = new ArrayList<>();
        for (FloatImage s : ref.slices()) noisy.add(new FloatImage(s.width(), s.height(), nm.degrade(s.data(), rng)));
        for (int samples : new int[] {1, 4}) {
            for (int steps : new int[] {1, 2, 4, 8, 16}) {
                if (samples == 4 && steps > 4) continue; // the default run keeps the sample sweep short
                if (samples > 1 && steps < 2) continue; // one step is deterministic: all samples would be equal
                DenoiseSettings st = DenoiseSettings.defaults().withSteps(steps).withSamples(samples)
                        .withNoiseSigma(BenchmarkPlan.oracleSigma(nm));
                long a = System.nanoTime();
                DenoiseResult r = diffusion.denoise(FloatImage.toStack(noisy), ref.family(), st, ProgressListener.NONE, CancelToken.none());
                double sec = (System.nanoTime() - a) / 1e9 / noisy.size();
                List<FloatImage> out = FloatImage.fromStack(r.denoised());
                double psnr = 0, ssim = 0, flat = 0, hf = 0, grad = 0;
                int n = out.size();
                for (int z = 0; z < n; z++) {
                    FloatImage c = ref.slices().get(z);
                    psnr += ImageMetrics.psnr(c, out.get(z)) / n;
                    ssim += ImageMetrics.ssim(c, out.get(z)) / n;
                    ResidualTexture.Measures m = ResidualTexture.measure(c, out.get(z));
                    flat += m.flatness() / n; hf += m.highFrequencyFraction() / n; grad += m.gradientEnergyRatio() / n;
                }
                report.steps.add(new BenchmarkReport.StepRow(label, steps, samples, psnr, ssim, flat, hf, grad, sec));
            }
        }
    }
}
