package org.diffdenoise.bench;

import org.diffdenoise.api.FileTrees;

import org.diffdenoise.Version;
import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.classical.ClassicalDenoiser;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.DicomBackend;
import org.diffdenoise.dicom.DicomException;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.Provenance;
import org.diffdenoise.dicom.SeriesWriteResult;
import org.diffdenoise.dicom.StudyScan;
import org.diffdenoise.dicom.SyntheticSeriesWriter;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.noise.PoissonGaussianNoise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs the experiment grid: for each reference and noise level, degrades it, writes and reads back a noisy DICOM series,
 * denoises it with every method, writes and reads back the derived series and records the quality metrics.
 */
final class BenchmarkRunner {
    private final BenchmarkPlan plan;
    private final BenchmarkReport report;
    private final BaselineTuning tuning;
    private final HeapPeak heap;
    private final long t0;

    BenchmarkRunner(BenchmarkPlan plan, BenchmarkReport report, BaselineTuning tuning, HeapPeak heap, long t0) {
        this.plan = plan;
        this.report = report;
        this.tuning = tuning;
        this.heap = heap;
        this.t0 = t0;
    }

    /** Every reference at every level of its modality, in the plan's order. */
    void run() throws IOException, DicomException {
        for (BenchmarkData.Reference ref0 : plan.references()) {
            BenchmarkData.Reference ref = plan.crop() > 0 ? BenchmarkPlan.cropped(ref0, plan.crop()) : ref0;
            double own = 0;
            for (FloatImage sl : ref.slices())
                own += BenchmarkData.ownNoise(sl) / Math.max(sl.range(), 1e-12) / ref.slices().size();
            report.references.add(new BenchmarkReport.Ref(ref.name(), ref.modality(), ref.source(), ref.slices().get(0).width(),
                    ref.slices().get(0).height(), ref.slices().size(), own));
            List<double[]> lv = BenchmarkPlan.levels(ref.modality());
            for (int li = 0; li < lv.size(); li++) runCase(ref, li, lv.get(li));
        }
    }

    private void runCase(BenchmarkData.Reference ref, int li, double[] level) throws IOException, DicomException {
        String label = BenchmarkPlan.levelLabel(ref.modality(), level);
        NoiseModel nm = BenchmarkPlan.noiseModel(ref.modality(), level, FloatImage.range(ref.slices()));
        SplittableRandom rng = new SplittableRandom(BenchmarkPlan.noiseSeed(ref.name(), li));
        List<FloatImage> noisy = new ArrayList<>();
        for (FloatImage s : ref.slices()) noisy.add(new FloatImage(s.width(), s.height(), nm.degrade(s.data(), rng)));
        // the real path: write the noisy series, read it back, denoise, write the derived series, read it back
        Path caseDir = plan.work().resolve(ref.name() + "-" + li);
        FileTrees.delete(caseDir);
        writeSeries(noisy, ref.modality(), caseDir.resolve("input"), 1, "noisy " + label);
        DicomBackend dicom = Dicom.backend();
        DicomSeries source = loadOnly(dicom, caseDir.resolve("input"));
        List<FloatImage> input = FloatImage.fromStack(source.pixels());
        Map<String, FloatImage> panels = new LinkedHashMap<>();
        panels.put("clean", ref.slices().get(ref.slices().size() / 2));
        panels.put("noisy " + label, input.get(input.size() / 2));
        addRow(ref, label, "noisy", "", input, input, 0, panels);
        List<Denoiser> ds = new ArrayList<>();
        for (ClassicalDenoiser p : plan.baselines()) {
            ClassicalDenoiser d = tuning.tuned(p, ref.modality(), level);
            ds.add(nm instanceof PoissonGaussianNoise pg ? d.withXrayNoise(pg) : d);
        }
        if (plan.diffusion() != null) ds.add(plan.diffusion());
        for (Denoiser d : ds) {
            DenoiseSettings st = DenoiseSettings.defaults().withNoiseSigma(BenchmarkPlan.oracleSigma(nm));
            long a = System.nanoTime();
            DenoiseResult r = d.denoise(FloatImage.toStack(input), ref.family(), st, ProgressListener.NONE, CancelToken.none());
            double sec = (System.nanoTime() - a) / 1e9;
            heap.sample();
            String id = BenchmarkPlan.methodId(d);
            ModelDescriptor md = d.describe();
            Provenance prov = new Provenance(md.method(), md.name(), md.version(), md.sha256(), st.steps(), st.samples(),
                    st.seed(), r.noiseSigma(), "DiffDenoise benchmark", Version.get(), null, r.adaptation(), r.noiseNote());
            if (r.adaptation() != null) System.err.printf("[bench] %s %s: %s%n", ref.name(), label, r.adaptation());
            SeriesWriteResult w = dicom.writeDerived(source, r.denoised(), prov, caseDir.resolve("derived-" + id), true);
            List<FloatImage> back = FloatImage.fromStack(loadOnly(dicom, w.directory()).pixels());
            addRow(ref, label, id, d.describe().version(), input, back, sec, panels);
        }
        if (ref.modality().equals("MR") && label.equals("Rician 5%") && report.cropsFigure == null) {
            report.cropsFigure = "crops_" + ref.name() + ".png";
            report.cropsCase = ref.name() + ", " + label;
            writeCrops(panels, plan.out().resolve(report.cropsFigure));
        }
        System.err.printf(Locale.ROOT, "[bench] %s %s done (%.0f s elapsed)%n", ref.name(), label, (System.nanoTime() - t0) / 1e9);
    }

    private void addRow(BenchmarkData.Reference ref, String label, String method, String params, List<FloatImage> input,
                        List<FloatImage> result, double sec, Map<String, FloatImage> panels) {
        double psnr = 0, ssim = 0, res = 0, flat = 0, hf = 0, grad = 0;
        int n = ref.slices().size();
        for (int z = 0; z < n; z++) {
            FloatImage c = ref.slices().get(z), r = result.get(z);
            psnr += ImageMetrics.psnr(c, r) / n;
            ssim += ImageMetrics.ssim(c, r) / n;
            res += (method.equals("noisy") ? 0 : ImageMetrics.residualEdgeCorrelation(c, input.get(z), r)) / n;
            ResidualTexture.Measures m = ResidualTexture.measure(c, r);
            flat += m.flatness() / n; hf += m.highFrequencyFraction() / n; grad += m.gradientEnergyRatio() / n;
        }
        if (!method.equals("noisy")) panels.put(method, result.get(n / 2));
        report.rows.add(new BenchmarkReport.Row(ref.name(), ref.modality(), label, method, params, psnr, ssim, res, flat, hf, grad,
                sec / n, ref.slices().get(0).width() + "x" + ref.slices().get(0).height()));
    }

    private static void writeCrops(Map<String, FloatImage> panels, Path png) throws IOException {
        FloatImage clean = panels.get("clean");
        int size = Math.min(96, Math.min(clean.width(), clean.height()));
        int x0 = (clean.width() - size) / 2, y0 = (clean.height() - size) / 2;
        LinkedHashMap<String, FloatImage> crops = new LinkedHashMap<>();
        for (Map.Entry<String, FloatImage> e : panels.entrySet()) crops.put(e.getKey(), e.getValue().crop(x0, y0, size, size));
        Plots.montage(png, crops, clean.min(), clean.max(), 2);
    }

    private static void writeSeries(List<FloatImage> slices, String modality, Path dir, int number, String desc) throws IOException {
        List<float[]> data = new ArrayList<>();
        for (FloatImage s : slices) data.add(s.data());
        var spec = new SyntheticSeriesWriter.SeriesSpec(modality, "Bench^" + modality, "BENCH-" + modality, null,
                "DiffDenoise benchmark", desc, number, 1.0, 1.0);
        SyntheticSeriesWriter.write(data, slices.get(0).width(), slices.get(0).height(), spec, dir);
    }

    /** Scans a folder that must hold exactly one series and loads it through the DICOM layer. */
    private static DicomSeries loadOnly(DicomBackend dicom, Path dir) throws IOException, DicomException {
        StudyScan scan = dicom.scan(dir);
        if (scan.series().size() != 1)
            throw new IOException(dir + ": expected one series, found " + scan.series().size() + " (skipped: " + scan.skipped() + ")");
        return dicom.load(scan.series().get(0));
    }
}
