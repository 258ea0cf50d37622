package org.diffdenoise.dicom;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Naming rules for a derived series: Series Number, Series Description, output folder and file names. */
public final class DerivedSeriesLayout {
    /** Suffix appended to the source Series Description. */
    public static final String DESCRIPTION_SUFFIX = " (DiffDenoise)";
    /** Offset added to the source Series Number. */
    public static final int SERIES_NUMBER_OFFSET = 1000;
    /** Suffix of the uncertainty series (per-pixel standard deviation across samples). */
    public static final String UNCERTAINTY_DESCRIPTION_SUFFIX = " (DiffDenoise SD)";
    /** Offset added to the source Series Number for the uncertainty series. */
    public static final int UNCERTAINTY_SERIES_NUMBER_OFFSET = 2000;

    private DerivedSeriesLayout() {
    }

    /** Source Series Number + 1000, clamped to the IS range; 1000 when the source has none. */
    public static int seriesNumber(String sourceSeriesNumber) {
        return offsetSeriesNumber(sourceSeriesNumber, SERIES_NUMBER_OFFSET);
    }

    /** Source Series Number + 2000 for the uncertainty series (2000 when the source has none). */
    public static int uncertaintySeriesNumber(String sourceSeriesNumber) {
        return offsetSeriesNumber(sourceSeriesNumber, UNCERTAINTY_SERIES_NUMBER_OFFSET);
    }

    private static int offsetSeriesNumber(String sourceSeriesNumber, int offset) {
        long n = 0;
        try {
            n = sourceSeriesNumber == null || sourceSeriesNumber.isBlank() ? 0 : Long.parseLong(sourceSeriesNumber.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n + offset));
    }

    /** Source description plus the suffix, shortened so the result fits LO (64 characters); the bare suffix without one. */
    public static String seriesDescription(String source) {
        return withSuffix(source, DESCRIPTION_SUFFIX);
    }

    /** Source description plus " (DiffDenoise SD)", shortened to fit LO. */
    public static String uncertaintyDescription(String source) {
        return withSuffix(source, UNCERTAINTY_DESCRIPTION_SUFFIX);
    }

    private static String withSuffix(String source, String suffix) {
        String base = source == null ? "" : source.trim();
        int room = 64 - suffix.length();
        if (base.length() > room) {
            // never half a character: a lone surrogate has no encoding in any character set
            int cut = Character.isHighSurrogate(base.charAt(room - 1)) ? room - 1 : room;
            base = base.substring(0, cut).trim();
        }
        return base.isEmpty() ? suffix.trim() : base + suffix;
    }

    /**
     * Folder name {@code <SeriesNumber>_<description>_<8 hex of sha256(source Series Instance UID)>}: readable,
     * unique per source series and stable across runs, so a rerun finds (and refuses to overwrite) earlier output.
     * Only letters, digits, '.', '_' and '-' appear, never first; a negative Series Number is written {@code neg<n>}.
     */
    public static String folderName(int seriesNumber, String sourceDescription, String sourceSeriesUid) {
        return folder(seriesNumber, sourceDescription, sourceSeriesUid, "DiffDenoise");
    }

    /** As {@link #folderName}, tagged {@code DiffDenoise-SD}: the uncertainty series beside the denoised one. */
    public static String uncertaintyFolderName(int seriesNumber, String sourceDescription, String sourceSeriesUid) {
        return folder(seriesNumber, sourceDescription, sourceSeriesUid, "DiffDenoise-SD");
    }

    private static String folder(int seriesNumber, String sourceDescription, String sourceSeriesUid, String tag) {
        String desc = sourceDescription == null ? "" : sourceDescription.trim();
        String clean = desc.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("_+", "_").replaceAll("^[_.]+|_+$", "");
        if (clean.length() > 40) {
            clean = clean.substring(0, 40);
        }
        if (clean.isEmpty()) {
            clean = "series";
        }
        // never a leading '-': a folder name a shell command would take for an option (Series Number may be negative)
        String number = seriesNumber < 0 ? "neg" + (-(long) seriesNumber) : Integer.toString(seriesNumber);
        return number + "_" + clean + "_" + tag + "_" + sha256Hex(sourceSeriesUid).substring(0, 8);
    }

    /** File name of the i-th (0-based) instance: IM0001.dcm ... */
    public static String fileName(int index) {
        return String.format("IM%04d.dcm", index + 1);
    }

    static String sha256Hex(String s) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(String.valueOf(s).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
