package org.diffdenoise.bench;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.classical.ClassicalDenoiser;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.noise.PoissonGaussianNoise;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Tunes each baseline's strength on the tuning phantom, once per method, modality and noise level. */
final class BaselineTuning {
    private final BenchmarkReport report;
    private final Map<String, ClassicalDenoiser> tuned = new LinkedHashMap<>();

    BaselineTuning(BenchmarkReport report) {
        this.report = report;
    }

    /** The baseline at its best strength for this level, tuned on first use and recorded in the report. */
    ClassicalDenoiser tuned(ClassicalDenoiser proto, String modality, double[] level) {
        String key = proto.id() + "|" + modality + "|" + BenchmarkPlan.levelLabel(modality, level);
        return tuned.computeIfAbsent(key, k -> tune(proto, modality, level));
    }

    /** Picks the strength with the best PSNR on the tuning phantom at this noise level. */
    private ClassicalDenoiser tune(ClassicalDenoiser proto, String modality, double[] level) {
        FloatImage clean = BenchmarkData.tuningImage();
        NoiseModel nm = BenchmarkPlan.noiseModel(modality, level, clean.range());
        FloatImage noisy = new FloatImage(clean.width(), clean.height(), nm.degrade(clean.data(), new SplittableRandom(777)));
        ClassicalDenoiser base = nm instanceof PoissonGaussianNoise pg ? proto.withXrayNoise(pg) : proto;
        NoiseFamily fam = NoiseFamily.forModality(modality);
        double best = Double.NEGATIVE_INFINITY;
        ClassicalDenoiser bestD = base;
        for (double s : base.tuningGrid()) {
            ClassicalDenoiser d = base.withStrength(s);
            double p = ImageMetrics.psnr(clean, d.denoiseSlice(noisy, fam, BenchmarkPlan.oracleSigma(nm)));
            if (p > best) { best = p; bestD = d; }
        }
        report.tuning.add(new BenchmarkReport.Tuning(proto.id(), modality, BenchmarkPlan.levelLabel(modality, level),
                bestD.strength(), bestD.strengthMeaning(), best));
        return bestD;
    }

    /** The baseline at the strength tuned for low-dose X-ray, or as given when that level was not tuned. */
    ClassicalDenoiser forLowDoseXray(ClassicalDenoiser proto) {
        return report.tuning.stream().filter(x -> x.method().equals(proto.id()) && x.level().equals("PG low dose"))
                .findFirst().map(x -> proto.withStrength(x.strength())).orElse(proto);
    }
}
