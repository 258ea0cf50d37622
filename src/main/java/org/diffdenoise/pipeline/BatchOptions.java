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
 * @param allowIncomplete denoise a series that has evidence of missing or unreadable images (see
 *                   {@link org.diffdenoise.dicom.SeriesRef#incompleteReason()}) instead of failing it; the derived
 *                   series is then marked INCOMPLETE (Image Comments) and reported with that status
 */
public record BatchOptions(DenoiseSettings settings, boolean overwrite, Set<String> seriesUids, boolean writeUncertainty,
                           boolean allowIncomplete) {

    public BatchOptions {
        if (settings == null) throw new IllegalArgumentException("settings must not be null");
        seriesUids = seriesUids == null ? Set.of() : Set.copyOf(seriesUids);
    }

    /** Options that fail incomplete series. */
    public BatchOptions(DenoiseSettings settings, boolean overwrite, Set<String> seriesUids, boolean writeUncertainty) {
        this(settings, overwrite, seriesUids, writeUncertainty, false);
    }

    /** The same options, writing incomplete series (marked) when {@code allow}. */
    public BatchOptions withAllowIncomplete(boolean allow) {
        return new BatchOptions(settings, overwrite, seriesUids, writeUncertainty, allow);
    }

    /** Options that write the uncertainty series whenever there are several samples. */
    public BatchOptions(DenoiseSettings settings, boolean overwrite, Set<String> seriesUids) {
        this(settings, overwrite, seriesUids, true);
    }

    public static BatchOptions defaults() {
        return new BatchOptions(DenoiseSettings.defaults(), false, Set.of());
    }
}
