package org.diffdenoise.dicom;

import java.io.IOException;
import java.nio.file.Path;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

/** Reads DICOM studies and writes derived series; implemented by a DICOM toolkit (PixelMed by default). */
public interface DicomBackend {

    /** Short name, e.g. "pixelmed". */
    String name();

    /** Scans a folder recursively, or a single file, reading headers only; every file ends up in a series or in the skipped list. */
    StudyScan scan(Path folder) throws IOException;

    /** Decodes all slices of a series to modality values, ordered along the slice normal. */
    DicomSeries load(SeriesRef ref) throws DicomException;

    /**
     * Writes {@code pixels} (same shape as {@code source}) as a new derived series in a new folder under
     * {@code outputRoot}; all-or-nothing.
     */
    default SeriesWriteResult writeDerived(DicomSeries source, RandomAccessibleInterval<FloatType> pixels,
                                           Provenance provenance, Path outputRoot, boolean overwrite) throws DicomException {
        return writeDerived(source, new DerivedImages(pixels, null), provenance, outputRoot, overwrite);
    }

    /**
     * Writes the denoised pixels as a new derived series in the source's stored-value encoding and, when
     * {@code images} has an uncertainty map, a second derived series holding it (16-bit unsigned with its own
     * Rescale Slope, so fractions of a modality unit survive); both or neither: a failure leaves no folder.
     */
    SeriesWriteResult writeDerived(DicomSeries source, DerivedImages images, Provenance provenance, Path outputRoot,
                                   boolean overwrite) throws DicomException;

    /** Writes float slices as a new single-frame series, one file per slice ({@link SyntheticSeriesWriter}). */
    java.util.List<Path> writeSynthetic(java.util.List<float[]> slices, int width, int height,
                                        SyntheticSeriesWriter.SeriesSpec spec, Path dir) throws IOException;

    /**
     * Reads back what {@link #writeSynthetic} wrote, or any folder or file holding one series of single- or multi-frame
     * images, through {@link #scan} and {@link #load} (the same decoding as every other read).
     */
    SyntheticSeriesWriter.ReadBack readSynthetic(Path dirOrFile) throws IOException;

    /**
     * The provenance an existing derived series folder records (read from its first instance's header), or empty
     * when the folder holds no DiffDenoise instance; lets a rerun skip what it already wrote.
     */
    default java.util.Optional<RecordedDerivation> recordedDerivation(Path seriesFolder) {
        return java.util.Optional.empty();
    }

    /**
     * How one DICOM file's image tiles its slices when it is a Siemens mosaic (read from its header, as {@link #load}
     * does), or empty: not a mosaic, not readable, or a count that does not tile it. For images opened by other readers
     * (ImageJ's), which show a mosaic as one image.
     */
    default java.util.Optional<MosaicLayout> mosaicLayout(Path file) {
        return java.util.Optional.empty();
    }
}
