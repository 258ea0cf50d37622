package org.diffdenoise.dicom.pixelmed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;

import org.junit.jupiter.api.Test;

/** The mosaic count read from real Siemens files, in both encodings, and from the CSA header when it is alone. */
class SiemensPrivateTest {

    static AttributeList header(String... path) throws Exception {
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
}
