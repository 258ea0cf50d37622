package org.diffdenoise.dicom.pixelmed;

import java.nio.file.Path;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.diffdenoise.dicom.DicomException;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.Provenance;
import org.diffdenoise.dicom.SeriesWriteResult;

/** Writes a derived series (work in progress). */
final class PixelMedDerivedSeriesWriter {
    private PixelMedDerivedSeriesWriter() {
    }

    static SeriesWriteResult write(DicomSeries source, RandomAccessibleInterval<FloatType> pixels, Provenance provenance,
                                   Path outputRoot, boolean overwrite) throws DicomException {
        throw new DicomException(outputRoot, "writing derived series is not implemented yet");
    }
}
