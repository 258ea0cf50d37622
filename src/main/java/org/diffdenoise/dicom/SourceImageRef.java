package org.diffdenoise.dicom;

/**
 * A reference to a source image: one instance, or one frame of it ({@code frameNumber} 1-based; 0 references the
 * whole instance).
 */
public record SourceImageRef(String sopClassUid, String sopInstanceUid, int frameNumber) {

    /** The whole instance. */
    public static SourceImageRef instance(String sopClassUid, String sopInstanceUid) {
        return new SourceImageRef(sopClassUid, sopInstanceUid, 0);
    }

    /**
     * Frame {@code frame} of the instance (1-based, 0 for single-frame): a frame number only where the SOP class is
     * multi-frame (PS3.3 C.7.6.1.1.3), else the whole instance.
     */
    public static SourceImageRef frame(String sopClassUid, String sopInstanceUid, int frame) {
        return new SourceImageRef(sopClassUid, sopInstanceUid,
                frame > 0 && SopClasses.isMultiFrame(sopClassUid) ? frame : 0);
    }
}
