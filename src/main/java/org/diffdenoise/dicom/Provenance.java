package org.diffdenoise.dicom;

import org.diffdenoise.api.DenoiseSettings;

/**
 * What produced a derived series; recorded in every written instance.
 *
 * @param noiseSigmaPerSlice estimated noise standard deviation per slice in modality units (may be empty)
 * @param uncertaintyMeaning what an uncertainty series' values are (calibrated error SD or raw sample spread), or null
 * @param adaptation what the per-series adaptation ({@code --adapt}) chose, in words, or null when it was not asked for
 * @param noiseNote notes on the input's noise, in words, or null (spatially correlated noise; a multi-coil floor removed or kept; an MR level bounded by its air, or not checked against air)
 * @param strength the factor on the noise level the denoiser worked at ({@code --strength}; 1: the level itself)
 */
public record Provenance(String method, String modelName, String modelVersion, String modelSha256, int steps,
                         int samples, long seed, double[] noiseSigmaPerSlice, String softwareName,
                         String softwareVersion, String uncertaintyMeaning, String adaptation, String noiseNote, double strength) {
    public Provenance {
        noiseSigmaPerSlice = noiseSigmaPerSlice == null ? new double[0] : noiseSigmaPerSlice.clone();
    }

    /** Provenance of a run at strength 1 (the noise level itself). */
    public Provenance(String method, String modelName, String modelVersion, String modelSha256, int steps, int samples,
                      long seed, double[] noiseSigmaPerSlice, String softwareName, String softwareVersion,
                      String uncertaintyMeaning, String adaptation, String noiseNote) {
        this(method, modelName, modelVersion, modelSha256, steps, samples, seed, noiseSigmaPerSlice, softwareName,
                softwareVersion, uncertaintyMeaning, adaptation, noiseNote, DenoiseSettings.DEFAULT_STRENGTH);
    }

    /** Provenance without a note on the noise. */
    public Provenance(String method, String modelName, String modelVersion, String modelSha256, int steps, int samples,
                      long seed, double[] noiseSigmaPerSlice, String softwareName, String softwareVersion,
                      String uncertaintyMeaning, String adaptation) {
        this(method, modelName, modelVersion, modelSha256, steps, samples, seed, noiseSigmaPerSlice, softwareName,
                softwareVersion, uncertaintyMeaning, adaptation, null);
    }

    /** Provenance of a run without per-series adaptation. */
    public Provenance(String method, String modelName, String modelVersion, String modelSha256, int steps, int samples,
                      long seed, double[] noiseSigmaPerSlice, String softwareName, String softwareVersion,
                      String uncertaintyMeaning) {
        this(method, modelName, modelVersion, modelSha256, steps, samples, seed, noiseSigmaPerSlice, softwareName,
                softwareVersion, uncertaintyMeaning, null);
    }

    /** Provenance without a statement of what an uncertainty series holds (the raw spread across samples is assumed). */
    public Provenance(String method, String modelName, String modelVersion, String modelSha256, int steps, int samples,
                      long seed, double[] noiseSigmaPerSlice, String softwareName, String softwareVersion) {
        this(method, modelName, modelVersion, modelSha256, steps, samples, seed, noiseSigmaPerSlice, softwareName,
                softwareVersion, null);
    }
}
