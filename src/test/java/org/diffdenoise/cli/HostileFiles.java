package org.diffdenoise.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

/** Hostile variants of a real file (pydicom's MR_small.dcm): one header attribute replaced, the rest kept. */
final class HostileFiles {
    static final Path MR_SMALL = DiffDenoiseCliTest.EXT.resolve("pydicom/MR_small.dcm");

    private HostileFiles() {
    }

    /** Copies MR_small.dcm to {@code dir/name} with {@code tag} set to {@code value}; returns the file. */
    static Path mrSmallWith(Path dir, String name, AttributeTag tag, String value) throws IOException {
        try {
            AttributeList l = new AttributeList();
            l.read(MR_SMALL.toFile());
            l.remove(tag);
            Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
            a.addValue(value);
            l.put(a);
            l.removeMetaInformationHeaderAttributes();
            FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "TEST");
            Path f = Files.createDirectories(dir).resolve(name);
            l.write(f.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            return f;
        } catch (DicomException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** A study folder holding MR_small.dcm unchanged. */
    static Path plainStudy(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.copy(MR_SMALL, dir.resolve("MR_small.dcm"));
        return dir;
    }

    static final AttributeTag NUMBER_OF_FRAMES = TagFromName.NumberOfFrames;
    static final AttributeTag RESCALE_SLOPE = TagFromName.RescaleSlope;
    static final AttributeTag SERIES_DESCRIPTION = TagFromName.SeriesDescription;
    static final AttributeTag SERIES_NUMBER = TagFromName.SeriesNumber;
}
