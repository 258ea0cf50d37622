package org.diffdenoise.dicom.pixelmed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

import org.diffdenoise.dicom.DerivedImages;
import org.diffdenoise.dicom.DicomBackend;
import org.diffdenoise.dicom.DicomException;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.Provenance;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.dicom.SeriesWriteResult;
import org.diffdenoise.dicom.StudyScan;

/** The DICOM backend built on PixelMed (with its JPEG lossless codec and jai-imageio JPEG 2000). */
public final class PixelMedBackend implements DicomBackend {
    /** Backend name used by {@link org.diffdenoise.dicom.Dicom#backend(String)}. */
    public static final String NAME = "pixelmed";

    /** Transfer syntaxes this backend decodes; others (JPEG-LS, JPEG Extended 12-bit, video...) are refused. */
    static final Set<String> DECODABLE_TRANSFER_SYNTAXES = Set.of(
            "1.2.840.10008.1.2",        // Implicit VR Little Endian
            "1.2.840.10008.1.2.1",      // Explicit VR Little Endian
            "1.2.840.10008.1.2.2",      // Explicit VR Big Endian
            "1.2.840.10008.1.2.1.99",   // Deflated Explicit VR Little Endian
            "1.2.840.10008.1.2.5",      // RLE Lossless
            "1.2.840.10008.1.2.4.50",   // JPEG Baseline 8-bit
            "1.2.840.10008.1.2.4.57",   // JPEG Lossless
            "1.2.840.10008.1.2.4.70",   // JPEG Lossless SV1
            "1.2.840.10008.1.2.4.90",   // JPEG 2000 Lossless
            "1.2.840.10008.1.2.4.91");  // JPEG 2000

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public java.util.List<Path> writeSynthetic(java.util.List<float[]> slices, int width, int height,
                                               org.diffdenoise.dicom.SyntheticSeriesWriter.SeriesSpec spec, Path dir)
            throws IOException {
        return PixelMedSyntheticSeries.write(slices, width, height, spec, dir);
    }

    @Override
    public org.diffdenoise.dicom.SyntheticSeriesWriter.ReadBack readSynthetic(Path dirOrFile) throws IOException {
        return PixelMedSyntheticSeries.read(dirOrFile);
    }

    @Override
    public StudyScan scan(Path folder) throws IOException {
        return PixelMedStudyScanner.scan(folder);
    }

    @Override
    public DicomSeries load(SeriesRef ref) throws DicomException {
        return PixelMedSeriesLoader.load(ref);
    }

    @Override
    public SeriesWriteResult writeDerived(DicomSeries source, DerivedImages images, Provenance provenance,
                                          Path outputRoot, boolean overwrite) throws DicomException {
        return PixelMedDerivedSeriesWriter.write(source, images, provenance, outputRoot, overwrite);
    }

    @Override
    public java.util.Optional<org.diffdenoise.dicom.RecordedDerivation> recordedDerivation(Path seriesFolder) {
        return PixelMedProvenanceReader.read(seriesFolder);
    }

    @Override
    public java.util.Optional<org.diffdenoise.dicom.MosaicLayout> mosaicLayout(Path file) {
        try {
            return java.util.Optional.ofNullable(SiemensPrivate.mosaicLayout(PixelMedReader.readHeader(file).list()));
        } catch (IOException | com.pixelmed.dicom.DicomException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
