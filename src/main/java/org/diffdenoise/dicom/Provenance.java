package org.diffdenoise.dicom;

/**
 * What produced a derived series; recorded in every written instance.
 *
 * @param noiseSigmaPerSlice estimated noise standard deviation per slice in modality units (may be empty)
 */
public record Provenance(String method, String modelName, String modelVersion, String modelSha256, int steps,
                         int samples, long seed, double[] noiseSigmaPerSlice, String softwareName,
                         String softwareVersion) {
    public Provenance {
        noiseSigmaPerSlice = noiseSigmaPerSlice == null ? new double[0] : noiseSigmaPerSlice.clone();
    }
}
