package org.diffdenoise.api;

import java.util.Locale;

/** The noise model a modality's images follow; selects training noise and the noise-level estimator. */
public enum NoiseFamily {
    /** MR magnitude images: Rician noise, with a positive bias in dark regions. */
    RICIAN_MR,
    /** Projection X-ray (CR, DX, XA, RF, MG): signal-dependent Poisson–Gaussian noise. */
    POISSON_GAUSSIAN_XRAY,
    /** CT and anything else: additive Gaussian noise in the image domain. */
    GAUSSIAN_CT;

    /** Maps a DICOM Modality (0008,0060) value to its noise family. */
    public static NoiseFamily forModality(String dicomModality) {
        if (dicomModality == null) return GAUSSIAN_CT;
        switch (dicomModality.trim().toUpperCase(Locale.ROOT)) {
            case "MR":
                return RICIAN_MR;
            case "CR": case "DX": case "XA": case "RF": case "MG": case "PX": case "IO":
                return POISSON_GAUSSIAN_XRAY;
            default:
                return GAUSSIAN_CT;
        }
    }
}
