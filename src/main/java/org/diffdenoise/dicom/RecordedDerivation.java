package org.diffdenoise.dicom;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.diffdenoise.api.DenoiseSettings;

/**
 * What an existing derived series says produced it: its source series and the provenance ({@link ProvenanceText#json})
 * stored in its private block. Lets a rerun tell its own earlier output from output made with other settings.
 *
 * @param sourceSeriesUid the Series Instance UID the derived series references ("" when it references none)
 * @param provenance      the method, model, steps, samples, seed and noise levels recorded
 */
public record RecordedDerivation(String sourceSeriesUid, Provenance provenance) {

    /**
     * Parses the private provenance JSON of a derived instance.
     *
     * @throws IllegalArgumentException when the text is not DiffDenoise provenance
     */
    public static RecordedDerivation fromJson(String sourceSeriesUid, String json) {
        try {
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            JsonArray a = o.has("noiseSigma") ? o.getAsJsonArray("noiseSigma") : new JsonArray();
            double[] sigmas = new double[a.size()];
            for (int i = 0; i < sigmas.length; i++) sigmas[i] = a.get(i).getAsDouble();
            Provenance p = new Provenance(text(o, "method"), text(o, "modelName"), text(o, "modelVersion"),
                    text(o, "modelSha256"), o.get("steps").getAsInt(), o.get("samples").getAsInt(), o.get("seed").getAsLong(),
                    sigmas, text(o, "software"), text(o, "softwareVersion"), null, o.has("adaptation") ? text(o, "adaptation") : null,
                    o.has("noiseNote") ? text(o, "noiseNote") : null, o.has("strength") ? o.get("strength").getAsDouble() : DenoiseSettings.DEFAULT_STRENGTH);
            return new RecordedDerivation(sourceSeriesUid == null ? "" : sourceSeriesUid, p);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not DiffDenoise provenance: " + e.getMessage(), e);
        }
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }
}
