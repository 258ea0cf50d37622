package org.diffdenoise;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The software's name and version, as recorded in derived series and model metadata. */
public final class Version {

    public static final String NAME = "DiffDenoise";

    private static final String VERSION = load();

    private Version() {
    }

    /** The Maven project version (from a resource filtered at build time). */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/org/diffdenoise/version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
