package org.diffdenoise.pipeline;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.MosaicLayout;

/**
 * A Siemens mosaic series is denoised slice by slice: the denoiser gets the slices of every mosaic (each with its
 * own noise level and air), and its result is packed into mosaics again, the empty tiles as they were.
 */
final class MosaicSlices {

    private MosaicSlices() {
    }

    /** What the denoiser gets: the series' slices, unpacked when it is a mosaic. */
    static RandomAccessibleInterval<FloatType> input(DicomSeries source) {
        MosaicLayout m = source.mosaic();
        return m == null ? source.pixels() : m.unpack(source.pixels());
    }

    /** The result in the series' own shape: packed into mosaics, one noise level per mosaic (its slices' median). */
    static DenoiseResult packed(DicomSeries source, DenoiseResult r) {
        MosaicLayout m = source.mosaic();
        if (m == null) return r;
        return new DenoiseResult(m.pack(r.denoised(), source.pixels()),
                r.uncertainty() == null ? null : m.pack(r.uncertainty(), null),
                r.noiseSigma().length == 0 ? r.noiseSigma() : m.perImage(r.noiseSigma()),
                r.device(), r.uncertaintyMeaning(), r.adaptation(), r.noiseNote());
    }

    /** For the series' message: what was unpacked, or null. */
    static String note(DicomSeries source) {
        MosaicLayout m = source.mosaic();
        return m == null ? null : "Siemens mosaic: " + m.describe() + ", denoised slice by slice and packed again"
                + " (noise sigma per image: the median of its slices')";
    }
}
