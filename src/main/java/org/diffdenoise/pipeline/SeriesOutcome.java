package org.diffdenoise.pipeline;

import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.dicom.DicomSeries;

/**
 * One series' result together with its images, for front ends that show them (the before/after viewer).
 *
 * @param result   the report line
 * @param source   the decoded input series, or null when reading failed
 * @param denoised the denoiser output, or null when it did not run to the end
 */
public record SeriesOutcome(SeriesResult result, DicomSeries source, DenoiseResult denoised) {
}
