package org.diffdenoise.dicom;

/** The coded concepts a derived series carries: what was done to the source, and why each reference is there. */
public final class DerivationCodes {
    /** CID 7203 "Image Derivation" has no denoising concept; Smoothing is the closest standard code. */
    public static final Code SMOOTHING = new Code("113087", "DCM", "Smoothing");
    /**
     * Derivation code of an uncertainty map inside an enhanced object's Derivation Image functional group, where the
     * code is required: CID 7203 has none for a standard deviation across samples, so a local one (coding scheme
     * designators starting with 99 are private by definition).
     */
    public static final Code SD_ACROSS_SAMPLES = new Code("SD-SAMPLES", "99DIFFDENOISE",
            "Per-pixel standard deviation across diffusion samples");
    /** CID 7202 purpose of reference for each Source Image Sequence item. */
    public static final Code SOURCE_IMAGE = new Code("121322", "DCM", "Source image for image processing operation");
    /** CID 7005 purpose of reference for the Contributing Equipment item. */
    public static final Code MODIFYING_EQUIPMENT = new Code("109103", "DCM", "Modifying Equipment");

    private DerivationCodes() {
    }
}
