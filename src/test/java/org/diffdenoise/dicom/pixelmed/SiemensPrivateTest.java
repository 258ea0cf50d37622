package org.diffdenoise.dicom.pixelmed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;

import org.junit.jupiter.api.Test;

/** The mosaic count read from real Siemens files, in both encodings, and from the CSA header when it is alone. */
class SiemensPrivateTest {

    private static AttributeList header(String... path) throws Exception {
        Path f = Path.of("external-data", path);
        assertTrue(Files.isRegularFile(f), f + " missing: run scripts/setup.sh");
        return PixelMedReader.readHeader(f).list();
    }

    @Test
    void theMosaicCountIsReadInExplicitAndImplicitVr() throws Exception {
        assertEquals(35, SiemensPrivate.imagesInMosaic(header("heudiconv-epi", "axasc35.dcm")));  // explicit VR: US
        assertEquals(81, SiemensPrivate.imagesInMosaic(header("heudiconv", "b0dwi_for_fmap+00001.dcm")));  // implicit: raw bytes
    }

    @Test
    void theCsaImageHeaderGivesTheCountWhenTheMrHeaderLacksIt() throws Exception {
        AttributeList l = header("heudiconv-epi", "axasc35.dcm");
        l.remove(new AttributeTag(0x0019, 0x100A));
        assertEquals(35, SiemensPrivate.imagesInMosaic(l));
    }

    @Test
    void anImageThatIsNotAMosaicHasNoCount() throws Exception {
        assertNull(SiemensPrivate.imagesInMosaic(header("dwv", "bbmri-53323131.dcm")));  // Siemens, not MOSAIC
        assertNull(SiemensPrivate.imagesInMosaic(header("pydicom", "MR_small.dcm")));
    }

    @Test
    void theAcquisitionBlocksAreKeptWholeAndNothingElsePrivate() throws Exception {
        AttributeList l = header("heudiconv-epi", "axasc35.dcm");
        List<Attribute> kept = SiemensPrivate.acquisitionBlocks(l);
        assertTrue(kept.stream().anyMatch(a -> a.getTag().equals(new AttributeTag(0x0019, 0x100A))));
        assertTrue(kept.stream().anyMatch(a -> a.getTag().equals(new AttributeTag(0x0029, 0x1010))));  // CSA image header
        assertTrue(kept.stream().anyMatch(a -> a.getTag().equals(new AttributeTag(0x0051, 0x100F))));  // coil string
        for (Attribute a : kept) {
            AttributeTag t = a.getTag();
            assertTrue(t.isPrivate(), t.toString());
            int block = t.getElement() <= 0xFF ? t.getElement() : t.getElement() >> 8;
            String creator = Attribute.getSingleStringValueOrNull(l, new AttributeTag(t.getGroup(), block)).trim();
            assertTrue(creator.equals(SiemensPrivate.MR_HEADER) || creator.equals(SiemensPrivate.CSA_HEADER), t + " " + creator);
        }
        // the file has other Siemens blocks (e.g. "SIEMENS MEDCOM HEADER2"): not kept
        long all = l.keySet().stream().filter(AttributeTag::isPrivate).count();
        assertTrue(kept.size() < all, kept.size() + " of " + all);
    }
}
