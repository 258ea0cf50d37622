package org.diffdenoise.dicom;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;

/** New DICOM UIDs in the {@code 2.25.<UUID as unsigned decimal>} form (PS3.5 B.2), needing no registered root. */
public final class DicomUids {
    private DicomUids() {
    }

    /** A fresh random UID. */
    public static String newUid() {
        UUID u = UUID.randomUUID();
        byte[] b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
        return "2.25." + new BigInteger(1, b);
    }
}
