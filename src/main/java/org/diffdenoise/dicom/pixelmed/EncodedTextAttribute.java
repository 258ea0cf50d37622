package org.diffdenoise.dicom.pixelmed;

import java.io.IOException;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;

/**
 * A text attribute (SH, LO, ST, LT, UT, UC, PN) written as given bytes: PixelMed would re-encode its string values on
 * writing, which loses ISO 2022 multi-byte characters and uses the platform's charset for new attributes.
 */
final class EncodedTextAttribute extends Attribute {
    private final byte[] vr;
    private final byte[] padded;
    private final String[] values;

    /** {@code bytes}: the value field without padding (or with the source's); {@code values}: what they mean. */
    EncodedTextAttribute(AttributeTag tag, byte[] vr, byte[] bytes, String[] values) {
        super(tag);
        this.vr = vr.clone();
        this.padded = bytes.length % 2 == 0 ? bytes.clone() : java.util.Arrays.copyOf(bytes, bytes.length + 1);
        if (bytes.length % 2 != 0) padded[bytes.length] = ' ';
        this.values = values == null ? new String[0] : values.clone();
        valueLength = padded.length;
        valueMultiplicity = this.values.length;
    }

    @Override
    public byte[] getVR() {
        return vr.clone();
    }

    @Override
    public long getPaddedVL() {
        return padded.length;
    }

    @Override
    public byte[] getByteValues() {
        return padded.clone();
    }

    @Override
    public String[] getStringValues(java.text.NumberFormat format) {
        return values.clone();
    }

    @Override
    public String[] getOriginalStringValues() {
        return values.clone();
    }

    @Override
    public void write(DicomOutputStream o) throws DicomException, IOException {
        writeBase(o);
        if (padded.length > 0) o.write(padded);
    }

    @Override
    public void removeValues() throws DicomException {
        throw new DicomException("encoded text attribute " + getTag() + " is read-only");
    }
}
