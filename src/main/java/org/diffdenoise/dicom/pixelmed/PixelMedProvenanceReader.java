package org.diffdenoise.dicom.pixelmed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import org.diffdenoise.dicom.RecordedDerivation;

/** Reads the provenance a derived series folder records, from the header of its first instance (pixels not read). */
final class PixelMedProvenanceReader {
    private PixelMedProvenanceReader() {
    }

    static Optional<RecordedDerivation> read(Path folder) {
        if (!Files.isDirectory(folder)) return Optional.empty();
        Path first;
        try (Stream<Path> files = Files.list(folder)) {
            first = files.filter(f -> f.getFileName().toString().endsWith(".dcm")).sorted().findFirst().orElse(null);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (first == null) return Optional.empty();
        try {
            AttributeList list = new AttributeList();
            list.read(first.toString(), TagFromName.PixelData);
            String json = Attribute.getSingleStringValueOrEmptyString(list, PrivateProvenance.PROVENANCE_JSON_TAG);
            if (json.isEmpty()) return Optional.empty();
            String source = "";
            if (list.get(TagFromName.ReferencedSeriesSequence) instanceof SequenceAttribute seq && seq.getNumberOfItems() > 0)
                source = Attribute.getSingleStringValueOrEmptyString(seq.getItem(0).getAttributeList(), TagFromName.SeriesInstanceUID);
            return Optional.of(RecordedDerivation.fromJson(source, json));
        } catch (IOException | com.pixelmed.dicom.DicomException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
