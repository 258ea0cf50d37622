package org.diffdenoise.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Frame references exist only for multi-frame SOP classes (PS3.3 C.7.6.1.1.3; dciodvfy checks it). */
class SourceImageRefTest {

    @Test
    void framesOfMultiFrameClassesAreReferencedOneByOne() {
        assertEquals(3, SourceImageRef.frame("1.2.840.10008.5.1.4.1.1.4.1", "1.2.3", 3).frameNumber());      // Enhanced MR
        assertEquals(20, SourceImageRef.frame("1.2.840.10008.5.1.4.1.1.4.4", "1.2.3", 20).frameNumber());    // Legacy Converted Enhanced MR
    }

    @Test
    void singleFrameClassesAreReferencedAsAWholeEvenWithNumberOfFrames() {
        assertEquals(0, SourceImageRef.frame("1.2.840.10008.5.1.4.1.1.4", "1.2.3", 16).frameNumber());    // MR Image with 16 frames
        assertEquals(0, SourceImageRef.frame("1.2.840.10008.5.1.4.1.1.7", "1.2.3", 1).frameNumber());     // Secondary Capture
        assertEquals(0, SourceImageRef.frame("1.2.840.10008.5.1.4.1.1.4.1", "1.2.3", 0).frameNumber());   // single-frame source
        assertEquals(new SourceImageRef("1.2.840.10008.5.1.4.1.1.2", "1.2.3", 0),
                SourceImageRef.instance("1.2.840.10008.5.1.4.1.1.2", "1.2.3"));
    }
}
