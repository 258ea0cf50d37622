package org.diffdenoise.dicom;

import java.util.Set;

/** What DiffDenoise needs to know about Storage SOP classes. */
public final class SopClasses {
    /**
     * Storage SOP classes whose IOD is multi-frame: only references to these may carry Referenced Frame Number
     * (PS3.3 C.7.6.1.1.3; dciodvfy checks it). A legacy single-frame class holding Number of Frames (an MR Image
     * with 16 frames, a Secondary Capture with 1) is referenced as a whole.
     */
    private static final Set<String> MULTI_FRAME = Set.of(
            "1.2.840.10008.5.1.4.1.1.2.1",     // Enhanced CT
            "1.2.840.10008.5.1.4.1.1.2.2",     // Legacy Converted Enhanced CT
            "1.2.840.10008.5.1.4.1.1.3.1",     // Ultrasound Multi-frame
            "1.2.840.10008.5.1.4.1.1.4.1",     // Enhanced MR
            "1.2.840.10008.5.1.4.1.1.4.3",     // Enhanced MR Color
            "1.2.840.10008.5.1.4.1.1.4.4",     // Legacy Converted Enhanced MR
            "1.2.840.10008.5.1.4.1.1.6.2",     // Enhanced US Volume
            "1.2.840.10008.5.1.4.1.1.7.1",     // Multi-frame Single Bit Secondary Capture
            "1.2.840.10008.5.1.4.1.1.7.2",     // Multi-frame Grayscale Byte Secondary Capture
            "1.2.840.10008.5.1.4.1.1.7.3",     // Multi-frame Grayscale Word Secondary Capture
            "1.2.840.10008.5.1.4.1.1.7.4",     // Multi-frame True Color Secondary Capture
            "1.2.840.10008.5.1.4.1.1.12.1",    // X-Ray Angiographic
            "1.2.840.10008.5.1.4.1.1.12.1.1",  // Enhanced XA
            "1.2.840.10008.5.1.4.1.1.12.2",    // X-Ray Radiofluoroscopic
            "1.2.840.10008.5.1.4.1.1.12.2.1",  // Enhanced XRF
            "1.2.840.10008.5.1.4.1.1.13.1.1",  // X-Ray 3D Angiographic
            "1.2.840.10008.5.1.4.1.1.13.1.2",  // X-Ray 3D Craniofacial
            "1.2.840.10008.5.1.4.1.1.13.1.3",  // Breast Tomosynthesis
            "1.2.840.10008.5.1.4.1.1.13.1.4",  // Breast Projection X-Ray For Presentation
            "1.2.840.10008.5.1.4.1.1.13.1.5",  // Breast Projection X-Ray For Processing
            "1.2.840.10008.5.1.4.1.1.14.1",    // Intravascular OCT For Presentation
            "1.2.840.10008.5.1.4.1.1.14.2",    // Intravascular OCT For Processing
            "1.2.840.10008.5.1.4.1.1.20",      // Nuclear Medicine
            "1.2.840.10008.5.1.4.1.1.30",      // Parametric Map
            "1.2.840.10008.5.1.4.1.1.128.1",   // Legacy Converted Enhanced PET
            "1.2.840.10008.5.1.4.1.1.130",     // Enhanced PET
            "1.2.840.10008.5.1.4.1.1.77.1.6"); // VL Whole Slide Microscopy

    private SopClasses() {
    }

    /** True when the SOP class's IOD is multi-frame, so that its frames can be referenced one by one. */
    public static boolean isMultiFrame(String sopClassUid) {
        return MULTI_FRAME.contains(sopClassUid);
    }
}
