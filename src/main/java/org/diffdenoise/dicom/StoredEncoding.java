package org.diffdenoise.dicom;

/**
 * How a slice's pixels are stored and mapped to modality values (Image Pixel module plus rescale).
 *
 * @param signed true for Pixel Representation 1 (two's complement)
 */
public record StoredEncoding(int bitsAllocated, int bitsStored, int highBit, boolean signed,
                             double rescaleSlope, double rescaleIntercept, String photometricInterpretation) {

    /** Smallest stored value Bits Stored and the signedness allow. */
    public long minStored() {
        return signed ? -(1L << (bitsStored - 1)) : 0L;
    }

    /** Largest stored value Bits Stored and the signedness allow. */
    public long maxStored() {
        return signed ? (1L << (bitsStored - 1)) - 1 : (1L << bitsStored) - 1;
    }

    /** Interprets the raw container word: keeps the Bits Stored bits ending at High Bit and sign-extends them. */
    public long storedFromRaw(int raw) {
        int shift = highBit + 1 - bitsStored;
        long bits = ((raw & 0xFFFFFFFFL) >>> shift) & ((1L << bitsStored) - 1);
        if (signed && (bits & (1L << (bitsStored - 1))) != 0) {
            bits -= 1L << bitsStored;
        }
        return bits;
    }

    /** Modality value of a stored value. */
    public double toModality(long stored) {
        return stored * rescaleSlope + rescaleIntercept;
    }

    /** Stored value for a modality value: round((v - intercept) / slope), clipped into the storable range. */
    public long toStored(double modalityValue) {
        double s = Math.rint((modalityValue - rescaleIntercept) / rescaleSlope);
        return (long) Math.max(minStored(), Math.min(maxStored(), s));
    }

    /** True for MONOCHROME1 (low values display bright). */
    public boolean monochrome1() {
        return "MONOCHROME1".equals(photometricInterpretation);
    }

    /**
     * The encoding of an uncertainty map (standard deviations, never negative) whose largest value is
     * {@code maxValue}: 16-bit unsigned, MONOCHROME2, intercept 0, and the smallest slope of the form 1, 2 or 5
     * times a power of ten that stores {@code maxValue} within 60000, so the map keeps about four significant digits.
     */
    public static StoredEncoding forUncertainty(double maxValue) {
        return new StoredEncoding(16, 16, 15, false, uncertaintySlope(maxValue), 0.0, "MONOCHROME2");
    }

    static double uncertaintySlope(double maxValue) {
        if (!(maxValue > 0) || !Double.isFinite(maxValue)) return 1e-3;
        double target = maxValue / 60000.0;
        int exponent = (int) Math.floor(Math.log10(target));
        for (int m : new int[] {1, 2, 5}) {
            double slope = Double.parseDouble(m + "E" + exponent);  // exact decimal, no binary rounding residue
            if (slope >= target) return slope;
        }
        return Double.parseDouble("1E" + (exponent + 1));
    }
}
