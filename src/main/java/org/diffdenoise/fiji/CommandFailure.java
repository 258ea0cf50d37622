package org.diffdenoise.fiji;

import java.util.List;
import java.util.Map;

/**
 * Turns anything a command throws into a sentence for the user: a missing library is named with the jar that holds
 * it (the usual cause of a {@link NoClassDefFoundError} when the plugin's jars were not all copied); anything else
 * gets its message, never a class name or stack trace.
 */
final class CommandFailure {
    /** Package prefix (as a class file path) to the library a user must install. */
    private static final List<Map.Entry<String, String>> LIBRARIES = List.of(
            Map.entry("net/imglib2/", "ImgLib2 (imglib2-*.jar)"),
            Map.entry("org/scijava/", "SciJava Common (scijava-common-*.jar)"),
            Map.entry("org/tensorflow/", "TensorFlow Java (tensorflow-core-api-*.jar and tensorflow-core-native-*.jar)"),
            Map.entry("org/bytedeco/", "JavaCPP (javacpp-*.jar)"),
            Map.entry("com/google/protobuf/", "Protocol Buffers (protobuf-java-*.jar)"),
            Map.entry("com/pixelmed/", "PixelMed (pixelmed-*.jar)"),
            Map.entry("com/github/jaiimageio/", "JAI Image I/O JPEG 2000 (jai-imageio-jpeg2000-*.jar)"),
            Map.entry("com/google/gson/", "Gson (gson-*.jar)"),
            Map.entry("picocli/", "picocli (picocli-*.jar)"),
            Map.entry("ij/", "ImageJ 1 (ij-*.jar)"));

    private CommandFailure() {
    }

    /** One sentence saying what went wrong and, for a missing class, which library to install. */
    static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof NoClassDefFoundError || c instanceof ClassNotFoundException) {
                String missing = String.valueOf(c.getMessage()).replace('.', '/');
                if (missing.startsWith("Could not initialize class "))
                    return "a library could not be initialized (" + missing.substring(27).replace('/', '.') + "); see the console for its first error";
                return "a library is missing: " + library(missing) + ". Copy all jars of Fiji.app/jars (and, for ImageJ 1 "
                        + "without Fiji, imagej1/jars) next to the plugin; see docs/install.md";
            }
            if (c instanceof UnsatisfiedLinkError)
                return "a native library could not be loaded (" + c.getMessage() + "); the TensorFlow native jar must match "
                        + "this operating system (linux-x86_64)";
            if (c instanceof OutOfMemoryError)
                return "out of memory (" + c.getMessage() + "); give ImageJ more memory (Edit > Options > Memory) or use a smaller tile size";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? "unexpected internal error; the console shows where it happened" : m;
    }

    /** The library that holds a class given as a path ("net/imglib2/Interval"), or the class itself when unknown. */
    static String library(String classPath) {
        for (Map.Entry<String, String> e : LIBRARIES)
            if (classPath.startsWith(e.getKey())) return e.getValue();
        return "the one holding " + classPath.replace('/', '.');
    }
}
