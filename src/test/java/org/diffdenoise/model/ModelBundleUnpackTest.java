package org.diffdenoise.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.diffdenoise.api.OwnedTempFolder;
import org.junit.jupiter.api.Test;

/** The shipped bundle is unpacked once per process, into a folder marked so that a killed run's copy is removed. */
class ModelBundleUnpackTest {

    @Test
    void theShippedBundleIsUnpackedOncePerProcessIntoAMarkedFolder() throws Exception {
        Path first = ModelBundle.loadDefault().directory();
        Path second = ModelBundle.loadDefault().directory();
        assertEquals(first, second, "one unpacked copy, however often it is loaded");
        assertTrue(Files.isRegularFile(first.resolve(OwnedTempFolder.MARKER)), "marked with this process");
        assertTrue(first.getFileName().toString().startsWith("diffdenoise-model"));
    }
}
