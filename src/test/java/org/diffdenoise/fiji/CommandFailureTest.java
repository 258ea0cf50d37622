package org.diffdenoise.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a user reads when a command throws: the missing library by name, never a class name or stack trace. */
class CommandFailureTest {

    @Test
    void aMissingClassNamesItsLibraryEvenWhenWrapped() {
        String m = CommandFailure.describe(new IllegalStateException("reading failed",
                new NoClassDefFoundError("net/imglib2/RandomAccessibleInterval")));
        assertTrue(m.startsWith("a library is missing: ImgLib2 (imglib2-*.jar)"), m);
        assertTrue(CommandFailure.describe(new NoClassDefFoundError("com/pixelmed/dicom/AttributeList")).contains("PixelMed"));
        assertTrue(CommandFailure.describe(new ClassNotFoundException("org.tensorflow.SavedModelBundle")).contains("TensorFlow Java"));
        assertTrue(CommandFailure.describe(new NoClassDefFoundError("org/example/Other")).contains("org.example.Other"));
    }

    @Test
    void otherFailuresGiveTheirMessageWithoutAClassName() {
        assertEquals("disk full", CommandFailure.describe(new RuntimeException("disk full")));
        String oom = CommandFailure.describe(new OutOfMemoryError("Java heap space"));
        assertTrue(oom.startsWith("out of memory") && oom.contains("Edit > Options > Memory"), oom);
        String none = CommandFailure.describe(new NullPointerException());
        assertTrue(none.contains("unexpected internal error"), none);
        assertFalse(none.contains("java.lang"), none);
    }
}
