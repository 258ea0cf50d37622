package org.diffdenoise.dicom;

/**
 * A coded concept (PS3.3 Code Sequence Macro): value, coding scheme designator and meaning, e.g. DCM 113087
 * "Smoothing".
 */
public record Code(String value, String scheme, String meaning) {
}
