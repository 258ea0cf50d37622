package org.diffdenoise.dicom.pixelmed;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * PixelMed logs recoverable parse problems (and some fatal ones it swallows) through java.util.logging. This keeps
 * them off the console (a padded file can log one line per byte pair) and captures the serious ones per thread, so
 * our own error messages can quote PixelMed's reason.
 */
final class PixelMedLog {
    private static final Logger ROOT = Logger.getLogger("com.pixelmed");
    private static final ThreadLocal<List<String>> CAPTURED = new ThreadLocal<>();

    static {
        ROOT.setUseParentHandlers(false);
        ROOT.setLevel(Level.WARNING);
        ROOT.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                List<String> sink = CAPTURED.get();
                if (sink != null && r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    String msg = r.getThrown() != null ? String.valueOf(r.getThrown().getMessage()) : r.getMessage();
                    if (msg != null && !msg.isBlank()) {
                        sink.add(msg.trim());
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    private PixelMedLog() {
    }

    /** Starts capturing serious PixelMed messages on this thread. */
    static void startCapture() {
        CAPTURED.set(new ArrayList<>());
    }

    /** Stops capturing and returns what was logged, joined ("" when nothing). */
    static String stopCapture() {
        List<String> l = CAPTURED.get();
        CAPTURED.remove();
        return l == null ? "" : String.join("; ", l);
    }
}
