package org.diffdenoise.pipeline;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.MosaicLayout;

/**
 * A Siemens mosaic series is denoised slice by slice: the denoiser gets the slices of every mosaic (each with its
 * own noise level and air), and its result is packed into mosaics again, the empty tiles as they were. Used by the
 * pipeline and by Fiji's current-image command.
 */
public final class MosaicSlices {

    private MosaicSlices() {
    }

    /** What the denoiser gets: the series' slices, unpacked when it is a mosaic. */
    static RandomAccessibleInterval<FloatType> input(DicomSeries source) {
        MosaicLayout m = source.mosaic();
        return m == null ? source.pixels() : m.unpack(source.pixels());
    }

    /** The result in the series' own shape (see {@link #packed(MosaicLayout, RandomAccessibleInterval, DenoiseResult)}). */
    static DenoiseResult packed(DicomSeries source, DenoiseResult r) {
        return source.mosaic() == null ? r : packed(source.mosaic(), source.pixels(), r);
    }

    /**
     * The result for the slices of {@code images} (mosaics of layout {@code m}) packed into mosaics: the empty tiles
     * from {@code images}, one noise level per mosaic (its slices' median).
     */
    public static DenoiseResult packed(MosaicLayout m, RandomAccessibleInterval<FloatType> images, DenoiseResult r) {
        return new DenoiseResult(m.pack(r.denoised(), images),
                r.uncertainty() == null ? null : m.pack(r.uncertainty(), null),
                r.noiseSigma().length == 0 ? r.noiseSigma() : m.perImage(r.noiseSigma()),
                r.device(), r.uncertaintyMeaning(), r.adaptation(), r.noiseNote());
    }

    /** For a result message: what was unpacked, or null. */
    public static String note(MosaicLayout m) {
        return m == null ? null : "Siemens mosaic: " + m.describe() + ", denoised slice by slice and packed again"
                + " (noise sigma per image: the median of its slices')";
    }
}
