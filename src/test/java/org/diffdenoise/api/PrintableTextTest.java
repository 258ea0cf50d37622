package org.diffdenoise.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;

/** Escaping of control characters, and failures turned into plain words. */
class PrintableTextTest {

    @Test
    void controlCharactersBecomeVisibleEscapesAndOrdinaryTextIsKept() {
        assertEquals("Schädel Übersicht 头部 山田^太郎", PrintableText.escape("Schädel Übersicht 头部 山田^太郎"));
        assertEquals("a\\nb\\r\\tc\\x1b[31m\\x1b]0;t\\x07\\x9b\\u202e\\u2028", PrintableText.escape(
                "a\nb\r\tc\u001b[31m\u001b]0;t\u0007\u009b\u202e\u2028"));
        assertTrue(PrintableText.hasUnsafe("x\u001by"));
        assertFalse(PrintableText.hasUnsafe("plain"));
    }

    @Test
    void failuresReadAsPlainWordsWithoutJavaClassNames() {
        assertEquals("/out: permission denied", ErrorText.of(new UncheckedIOException(new AccessDeniedException("/out"))));
        assertEquals("/x/y: read-only file system", ErrorText.of(new FileSystemException("/x/y", null, "Read-only file system")));
        assertTrue(ErrorText.of(new OutOfMemoryError("Java heap space")).startsWith("not enough memory"));
        assertFalse(ErrorText.of(new OutOfMemoryError("Java heap space")).contains("Java heap space"));
        assertEquals("read failed with 62 bytes remaining",
                ErrorText.of(new RuntimeException("java.io.IOException: read failed with 62 bytes remaining")));
        assertFalse(ErrorText.of(new NullPointerException()).contains("Exception"));
    }
}
