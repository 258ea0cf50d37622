package org.diffdenoise.dicom;

import java.util.Locale;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.diffdenoise.api.DenoiseSettings;

/** Renders a {@link Provenance} as the readable Derivation Description and as the JSON stored in each instance. */
public final class ProvenanceText {
    /** Derivation Description is ST: at most 1024 characters. */
    public static final int MAX_DERIVATION_DESCRIPTION = 1024;

    private ProvenanceText() {
    }

    /**
     * One readable line for Derivation Description; {@code sigmas} are the noise levels of the slices this
     * instance holds (one for a single-frame instance).
     */
    public static String summary(Provenance p, double[] sigmas) {
        StringBuilder sb = new StringBuilder();
        sb.append(p.softwareName()).append(' ').append(p.softwareVersion()).append(": ").append(p.method());
        sb.append("; model ").append(p.modelName()).append(' ').append(p.modelVersion());
        sb.append(" sha256 ").append(p.modelSha256());
        sb.append("; steps ").append(p.steps()).append("; samples ").append(p.samples()).append("; seed ").append(p.seed());
        if (p.adaptation() != null) sb.append("; ").append(p.adaptation());
        if (p.strength() != DenoiseSettings.DEFAULT_STRENGTH) sb.append("; strength ").append(format(p.strength())).append(" (times the noise level)");
        if (sigmas != null && sigmas.length > 0) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double s : sigmas) {
                lo = Math.min(lo, s);
                hi = Math.max(hi, s);
            }
            sb.append("; estimated noise sigma ");
            sb.append(lo == hi ? format(lo) : format(lo) + " to " + format(hi));
            sb.append(" (modality units)");
            if (p.noiseNote() != null) sb.append("; ").append(p.noiseNote());
        }
        return fitDescription(sb.toString());
    }

    /** Derivation Description of an uncertainty instance: what the values are, then {@link #summary}. */
    public static String uncertaintySummary(Provenance p, double[] sigmas) {
        String what = p.uncertaintyMeaning() == null
                ? "per-pixel standard deviation across " + p.samples() + " samples of the reverse diffusion"
                : p.uncertaintyMeaning() + "; " + p.samples() + " samples";
        return fitDescription("Uncertainty: " + what + " (modality units). " + summary(p, sigmas));
    }

    /** Shortened with "..." to fit Derivation Description (ST, 1024 characters). */
    private static String fitDescription(String s) {
        return s.length() <= MAX_DERIVATION_DESCRIPTION ? s : s.substring(0, MAX_DERIVATION_DESCRIPTION - 3) + "...";
    }

    /** Full provenance as compact JSON (sigma list limited to this instance's slices). */
    public static String json(Provenance p, double[] sigmas) {
        return json(p, sigmas, "denoised");
    }

    /**
     * As {@link #json(Provenance, double[])}, with {@code content} saying what the pixels are: "denoised" or
     * "uncertainty" (standard deviation across samples).
     */
    public static String json(Provenance p, double[] sigmas, String content) {
        JsonObject o = new JsonObject();
        o.addProperty("content", content);
        o.addProperty("software", p.softwareName());
        o.addProperty("softwareVersion", p.softwareVersion());
        o.addProperty("method", p.method());
        o.addProperty("modelName", p.modelName());
        o.addProperty("modelVersion", p.modelVersion());
        o.addProperty("modelSha256", p.modelSha256());
        o.addProperty("steps", p.steps());
        o.addProperty("samples", p.samples());
        o.addProperty("seed", p.seed());
        JsonArray a = new JsonArray();
        if (sigmas != null) {
            for (double s : sigmas) {
                a.add(s);
            }
        }
        o.add("noiseSigma", a);
        if (p.noiseNote() != null) o.addProperty("noiseNote", p.noiseNote());
        if (p.adaptation() != null) o.addProperty("adaptation", p.adaptation());
        if (p.strength() != DenoiseSettings.DEFAULT_STRENGTH) o.addProperty("strength", p.strength());
        if ("uncertainty".equals(content) && p.uncertaintyMeaning() != null) o.addProperty("uncertaintyMeaning", p.uncertaintyMeaning());
        return o.toString();
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
