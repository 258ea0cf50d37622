package org.diffdenoise.dicom.pixelmed;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;

import org.diffdenoise.dicom.MosaicLayout;

/**
 * The mosaic count in Siemens MR private blocks. The "SIEMENS MR HEADER" blocks (0019, 0051) hold the acquisition
 * (mosaic count, b-value, diffusion direction, slice times, coil) and "SIEMENS CSA HEADER" (0029) the same in Siemens'
 * CSA format; derived images keep both ({@link AcquisitionPrivateData}).
 */
final class SiemensPrivate {
    static final String MR_HEADER = "SIEMENS MR HEADER";
    static final String CSA_HEADER = "SIEMENS CSA HEADER";
    private static final int MR_GROUP = 0x0019;
    private static final int CSA_GROUP = 0x0029;
    /** Element (in its block) of NumberOfImagesInMosaic (US) and of the CSA image header (OB). */
    private static final int IMAGES_IN_MOSAIC = 0x0A;
    private static final int CSA_IMAGE_HEADER = 0x10;

    private SiemensPrivate() {
    }

    /**
     * Slices per stored image when the image is a Siemens mosaic (MOSAIC in Image Type and the count in the MR
     * header or the CSA image header), else null.
     */
    static Integer imagesInMosaic(AttributeList l) {
        if (!isMosaic(l)) return null;
        Attribute count = element(l, MR_GROUP, MR_HEADER, IMAGES_IN_MOSAIC);
        Integer n = count == null ? null : unsignedShort(count);
        if (n == null) {
            Attribute csa = element(l, CSA_GROUP, CSA_HEADER, CSA_IMAGE_HEADER);
            n = csa == null ? null : csaInteger(bytes(csa), "NumberOfImagesInMosaic");
        }
        return n == null || n < 1 ? null : n;
    }

    /**
     * How a Siemens mosaic image tiles its slices, or null when it is not one; an IllegalArgumentException, in words,
     * when its count does not tile it ({@link MosaicLayout#of}).
     */
    static MosaicLayout mosaicLayout(AttributeList l) {
        Integer n = imagesInMosaic(l);
        return n == null ? null : MosaicLayout.of(n, Headers.integer(l, TagFromName.Columns, 0), Headers.integer(l, TagFromName.Rows, 0));
    }

    private static boolean isMosaic(AttributeList l) {
        try {
            Attribute t = l.get(TagFromName.ImageType);
            if (t == null) return false;
            for (String v : t.getStringValues()) if ("MOSAIC".equals(v.trim())) return true;
        } catch (com.pixelmed.dicom.DicomException e) {
            return false;
        }
        return false;
    }

    /** The block number (0x10-0xFF) whose private creator in {@code group} is {@code creator}, or -1. */
    private static int block(AttributeList l, int group, String creator) {
        for (int b = 0x10; b <= 0xFF; b++) {
            String c = Attribute.getSingleStringValueOrNull(l, new AttributeTag(group, b));
            if (c != null && creator.equals(c.trim())) return b;
        }
        return -1;
    }

    private static Attribute element(AttributeList l, int group, String creator, int element) {
        int b = block(l, group, creator);
        return b < 0 ? null : l.get(new AttributeTag(group, (b << 8) | element));
    }

    /** A US value, typed (explicit VR) or as the two raw little-endian bytes of implicit VR. */
    private static Integer unsignedShort(Attribute a) {
        try {
            byte[] b = bytes(a);
            if (b != null) return b.length == 2 ? (b[0] & 0xFF) | (b[1] & 0xFF) << 8 : null;
            int[] v = a.getIntegerValues();
            return v == null || v.length != 1 ? null : v[0];
        } catch (com.pixelmed.dicom.DicomException | RuntimeException e) {
            return null;
        }
    }

    /** The raw bytes of an OB or unknown-VR value, or null for a typed one. */
    private static byte[] bytes(Attribute a) {
        try {
            return a instanceof com.pixelmed.dicom.UnknownAttribute || a instanceof com.pixelmed.dicom.OtherByteAttribute
                    ? a.getByteValues() : null;
        } catch (com.pixelmed.dicom.DicomException e) {
            return null;
        }
    }

    /**
     * The first value of {@code name} in a CSA2 header ("SV10"), read as an integer, or null: absent, unreadable,
     * or an older CSA1 header (every mosaic since syngo VB13 has CSA2).
     */
    static Integer csaInteger(byte[] csa, String name) {
        if (csa == null || csa.length < 16 || csa[0] != 'S' || csa[1] != 'V' || csa[2] != '1' || csa[3] != '0') return null;
        ByteBuffer b = ByteBuffer.wrap(csa).order(ByteOrder.LITTLE_ENDIAN);
        try {
            b.position(8);
            int tags = b.getInt();
            b.getInt();
            if (tags < 1 || tags > 1000) return null;
            for (int t = 0; t < tags; t++) {
                byte[] raw = new byte[64];
                b.get(raw);
                String tagName = cString(raw);
                b.getInt();  // VM
                b.position(b.position() + 4);  // VR
                b.getInt();  // SyngoDT
                int items = b.getInt();
                b.getInt();
                if (items < 0 || items > 10_000) return null;
                for (int i = 0; i < items; i++) {
                    b.getInt();
                    int length = b.getInt();
                    b.getInt();
                    b.getInt();
                    if (length < 0 || length > b.remaining()) return null;
                    byte[] value = new byte[length];
                    b.get(value);
                    b.position(b.position() + (4 - length % 4) % 4);
                    if (i == 0 && tagName.equals(name)) {
                        String v = cString(value).trim();
                        if (v.isEmpty()) return null;
                        return (int) Math.round(Double.parseDouble(v));
                    }
                }
            }
        } catch (RuntimeException e) {  // truncated or not a number
            return null;
        }
        return null;
    }

    private static String cString(byte[] raw) {
        int end = 0;
        while (end < raw.length && raw[end] != 0) end++;
        return new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    }
}
