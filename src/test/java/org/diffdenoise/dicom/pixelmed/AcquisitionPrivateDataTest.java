package org.diffdenoise.dicom.pixelmed;

import static org.diffdenoise.dicom.pixelmed.SiemensPrivateTest.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;

import org.junit.jupiter.api.Test;

/** Which private elements of real scanner files a derived image keeps. */
class AcquisitionPrivateDataTest {

    @Test
    void siemensAcquisitionBlocksAreKeptWholeAndNothingElsePrivate() throws Exception {
        AttributeList l = header("heudiconv-epi", "axasc35.dcm");
        List<Attribute> kept = AcquisitionPrivateData.of(l);
        assertTrue(kept.stream().anyMatch(a -> a.getTag().equals(new AttributeTag(0x0019, 0x100A))));
        assertTrue(kept.stream().anyMatch(a -> a.getTag().equals(new AttributeTag(0x0029, 0x1010))));  // CSA image header
        assertTrue(kept.stream().anyMatch(a -> a.getTag().equals(new AttributeTag(0x0051, 0x100F))));  // coil string
        for (Attribute a : kept) {
            String creator = creatorOf(l, a.getTag());
            assertTrue(creator.equals(SiemensPrivate.MR_HEADER) || creator.equals(SiemensPrivate.CSA_HEADER), a.getTag() + " " + creator);
        }
        // the file has other Siemens blocks (e.g. "SIEMENS MEDCOM HEADER2"): not kept
        long all = l.keySet().stream().filter(AttributeTag::isPrivate).count();
        assertTrue(kept.size() < all, kept.size() + " of " + all);
    }

    /**
     * A real GE Signa Excite diffusion image: its b-value, direction, pulse sequence, slice timing and protocol block
     * are kept with their creators; its histogram, pixel ranges, image identification and location blocks are not.
     */
    @Test
    void geKeepsTheAcquisitionElementsAndTheirCreatorsOnly() throws Exception {
        AttributeList l = header("ami", "mi2b2.dcm");
        Set<String> kept = new TreeSet<>();
        for (Attribute a : AcquisitionPrivateData.of(l)) kept.add(a.getTag().toString());
        assertEquals(new TreeSet<>(List.of(
                "(0x0019,0x0010)", "(0x0019,0x109c)", "(0x0019,0x109e)", "(0x0019,0x10bb)", "(0x0019,0x10bc)", "(0x0019,0x10bd)",
                "(0x0021,0x0010)", "(0x0021,0x104f)", "(0x0021,0x105e)",
                "(0x0025,0x0010)", "(0x0025,0x101b)",
                "(0x0043,0x0010)", "(0x0043,0x102c)", "(0x0043,0x102f)", "(0x0043,0x1039)", "(0x0043,0x1083)", "(0x0043,0x108a)")),
                kept);
    }

    private static String creatorOf(AttributeList l, AttributeTag t) {
        int block = t.getElement() <= 0xFF ? t.getElement() : t.getElement() >> 8;
        return Attribute.getSingleStringValueOrNull(l, new AttributeTag(t.getGroup(), block)).trim();
    }
}
