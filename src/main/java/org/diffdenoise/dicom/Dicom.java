package org.diffdenoise.dicom;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Entry point to the DICOM layer: the default backend, or one chosen by name. */
public final class Dicom {
    /** Backend used by {@link #backend()}; a system property lets a run switch toolkits without code changes. */
    public static final String DEFAULT_BACKEND_PROPERTY = "diffdenoise.dicom.backend";
    private static final String DEFAULT_BACKEND = "pixelmed";

    private Dicom() {
    }

    /** The default backend (PixelMed unless the system property names another). */
    public static DicomBackend backend() {
        return backend(System.getProperty(DEFAULT_BACKEND_PROPERTY, DEFAULT_BACKEND));
    }

    /** The backend with the given name; IllegalArgumentException lists the available ones when absent. */
    public static DicomBackend backend(String name) {
        for (DicomBackendProvider p : ServiceLoader.load(DicomBackendProvider.class, Dicom.class.getClassLoader())) {
            if (p.name().equalsIgnoreCase(name)) {
                return p.create();
            }
        }
        throw new IllegalArgumentException("no DICOM backend named '" + name + "'; available: " + availableBackends());
    }

    /** Names of all registered backends. */
    public static List<String> availableBackends() {
        List<String> names = new ArrayList<>();
        ServiceLoader.load(DicomBackendProvider.class, Dicom.class.getClassLoader()).forEach(p -> names.add(p.name()));
        return names;
    }
}
