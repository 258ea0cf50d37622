package org.diffdenoise.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Derived Series Description: source text plus suffix within LO's 64 characters, never half a character. */
class DerivedSeriesLayoutTest {
    @Test
    void shorteningNeverSplitsACharacterOutsideTheBasicPlane() {
        // "𠮷" (U+20BB7) is two UTF-16 units; placed so that the cut at 64 - suffix falls between them
        int room = 64 - DerivedSeriesLayout.DESCRIPTION_SUFFIX.length();
        String source = "x".repeat(room - 1) + "𠮷" + "tail";
        String d = DerivedSeriesLayout.seriesDescription(source);
        assertEquals("x".repeat(room - 1) + DerivedSeriesLayout.DESCRIPTION_SUFFIX, d);
        for (int i = 0; i < d.length(); i++) {
            assertTrue(!Character.isSurrogate(d.charAt(i)), d);
        }
        assertEquals("頭部 (DiffDenoise)", DerivedSeriesLayout.seriesDescription(" 頭部 "));
    }
}
