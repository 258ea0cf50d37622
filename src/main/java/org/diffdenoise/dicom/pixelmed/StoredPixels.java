package org.diffdenoise.dicom.pixelmed;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;

/**
 * The Pixel Data of a derived instance, already in the source's stored representation, frames one after the other:
 * 16-bit words or 8-bit bytes.
 */
sealed interface StoredPixels {

    /** The Pixel Data attribute. */
    Attribute attribute() throws DicomException;

    /** Bits Allocated 16: written as OW. */
    record Words(short[] values) implements StoredPixels {
        @Override
        public Attribute attribute() throws DicomException {
            OtherWordAttribute a = new OtherWordAttribute(TagFromName.PixelData);
            a.setValues(values);
            return a;
        }
    }

    /** Bits Allocated 8: written as OB, padded to an even length. */
    record Bytes(byte[] values) implements StoredPixels {
        @Override
        public Attribute attribute() throws DicomException {
            byte[] even = values.length % 2 == 0 ? values : java.util.Arrays.copyOf(values, values.length + 1);
            OtherByteAttribute a = new OtherByteAttribute(TagFromName.PixelData);
            a.setValues(even);
            return a;
        }
    }
}
