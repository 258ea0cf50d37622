package org.diffdenoise.node;

import java.nio.file.Path;

/**
 * One instance received by C-STORE, already complete and fsynced in {@code file} (a temporary file the sink moves).
 */
public record ReceivedInstance(String sopClassUid, String sopInstanceUid, String seriesInstanceUid,
                               String studyInstanceUid, String callingAeTitle, Path file) {
}
