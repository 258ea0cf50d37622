package org.diffdenoise.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.ProgressListener;
import org.diffdenoise.image.FloatImage;
import org.diffdenoise.image.ImageMetrics;
import org.diffdenoise.pipeline.DenoiserRegistry;

/**
 * What the strength ({@code --strength}, a factor on the noise level the model works at) does on the realistic-noise
 * cases, with known truth: PSNR, SSIM and the gradient energy ratio (1 = as sharp as the reference) per strength, the
 * noise level estimated as by default; with {@code --white} the white-noise benchmark's cases instead. Prints a
 * Markdown table. Run: {@code java -cp target/classes:$(cat cp.txt) org.diffdenoise.bench.StrengthSweep [--white] [external-data]}
 */
public final class StrengthSweep {

    static final double[] STRENGTHS = {0.5, 0.7, 1, 1.4, 2};

    private StrengthSweep() {
    }

    public static void main(String[] args) throws Exception {
        boolean white = args.length > 0 && args[0].equals("--white");
        int first = white ? 1 : 0;
        Path data = Paths.get(args.length > first ? args[first] : "external-data");
        StringBuilder head = new StringBuilder("| case | noisy |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (double s : STRENGTHS) {
            head.append(String.format(Locale.ROOT, " strength %.1f |", s));
            rule.append("---|");
        }
        System.out.println("PSNR dB / SSIM / gradient energy ratio (1 = as sharp as the reference)\n");
        System.out.println(head);
        System.out.println(rule);
        try (Denoiser d = DenoiserRegistry.diffusion((Path) null)) {
            for (RealisticCases.Case c : white ? RealisticCases.white(data, id -> true) : RealisticCases.benchmark(data, id -> true)) {
                StringBuilder row = new StringBuilder("| " + c.id() + " | " + cell(c, c.noisy()) + " |");
                for (double s : STRENGTHS) {
                    List<FloatImage> out = FloatImage.fromStack(d.denoise(FloatImage.toStack(c.noisy()), c.family(),
                            DenoiseSettings.defaults().withStrength(s), ProgressListener.NONE, CancelToken.none()).denoised());
                    row.append(' ').append(cell(c, out)).append(" |");
                }
                System.out.println(row);
            }
        }
        System.exit(0); // TensorFlow's threads
    }

    private static String cell(RealisticCases.Case c, List<FloatImage> out) {
        double p = 0, s = 0, g = 0;
        int n = out.size();
        for (int z = 0; z < n; z++) {
            FloatImage ref = c.reference().get(z);
            p += ImageMetrics.psnr(ref, out.get(z)) / n;
            s += ImageMetrics.ssim(ref, out.get(z)) / n;
            g += ResidualTexture.measure(ref, out.get(z)).gradientEnergyRatio() / n;
        }
        return String.format(Locale.ROOT, "%.2f / %.3f / %.2f", p, s, g);
    }
}
