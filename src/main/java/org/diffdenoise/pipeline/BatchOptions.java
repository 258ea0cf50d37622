package org.diffdenoise.pipeline;

import java.util.Set;

import org.diffdenoise.api.DenoiseSettings;

/**
 * Options of a batch run.
 *
 * @param settings  denoiser settings, the same for every series
 * @param overwrite replace an existing derived series folder of the same name instead of failing that series
 * @param seriesUids Series Instance UIDs to process; empty means all
 * @param writeUncertainty with several samples, also write the uncertainty map (the estimated SD of the error, or
 *                         for an uncalibrated bundle the samples' per-pixel standard deviation) as a second
 *                   derived series beside each denoised one
 */
public record BatchOptions(DenoiseSettings settings, boolean overwrite, Set<String> seriesUids, boolean writeUncertainty) {

    public BatchOptions {
        if (settings == null) throw new IllegalArgumentException("settings must not be null");
        seriesUids = seriesUids == null ? Set.of() : Set.copyOf(seriesUids);
    }

    /** Options that write the uncertainty series whenever there are several samples. */
    public BatchOptions(DenoiseSettings settings, boolean overwrite, Set<String> seriesUids) {
        this(settings, overwrite, seriesUids, true);
    }

    public static BatchOptions defaults() {
        return new BatchOptions(DenoiseSettings.defaults(), false, Set.of());
    }
}
