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
 * our own error messages can quote PixelMed's reason. A few PixelMed messages go straight to System.err (e.g.
 * "Transfer Syntax UID was not specified in Meta Information Header so guessing"): while a thread captures, what
 * that thread writes to System.err is captured too; other threads' output passes through untouched.
 */
final class PixelMedLog {
    private static final Logger ROOT = Logger.getLogger("com.pixelmed");
    private static final ThreadLocal<List<String>> CAPTURED = new ThreadLocal<>();
    private static final ThreadLocal<java.io.ByteArrayOutputStream> CAPTURED_ERR = new ThreadLocal<>();

    /** System.err as installed on first use, writes of capturing threads diverted. */
    private static final class ThreadFilteringStream extends java.io.OutputStream {
        private final java.io.PrintStream original;

        ThreadFilteringStream(java.io.PrintStream original) {
            this.original = original;
        }

        @Override
        public void write(int b) {
            java.io.ByteArrayOutputStream sink = CAPTURED_ERR.get();
            if (sink != null) sink.write(b);
            else original.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            java.io.ByteArrayOutputStream sink = CAPTURED_ERR.get();
            if (sink != null) sink.write(b, off, len);
            else original.write(b, off, len);
        }

        @Override
        public void flush() {
            if (CAPTURED_ERR.get() == null) original.flush();
        }
    }

    static {
        System.setErr(new java.io.PrintStream(new ThreadFilteringStream(System.err), true));
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
        CAPTURED_ERR.set(new java.io.ByteArrayOutputStream());
    }

    /** Stops capturing and returns what was logged, joined ("" when nothing). */
    static String stopCapture() {
        List<String> l = CAPTURED.get();
        java.io.ByteArrayOutputStream err = CAPTURED_ERR.get();
        CAPTURED.remove();
        CAPTURED_ERR.remove();
        if (l == null) return "";
        if (err != null) {
            for (String line : err.toString(java.nio.charset.StandardCharsets.UTF_8).split("\\R")) {
                String t = line.replaceFirst("^Error: ", "").trim();
                if (!t.isEmpty()) l.add(t);
            }
        }
        List<String> clean = new ArrayList<>();
        for (String m : l) clean.add(readable(m));
        return String.join("; ", clean);
    }

    /**
     * PixelMed's text for people: Java exception class names dropped ("java.io.IOException: read failed ..." reads
     * "read failed ..."), its transfer-syntax guess said plainly.
     */
    static String readable(String message) {
        String m = message.replaceAll("\\b(?:java|javax|com\\.pixelmed)\\.[\\w.$]*(?:Exception|Error):\\s*", "");
        if (m.contains("Transfer Syntax UID was not specified in Meta Information Header so guessing")) {
            m = m.replace("Transfer Syntax UID was not specified in Meta Information Header so guessing",
                    "no Transfer Syntax UID in the File Meta header (PixelMed guessed one)");
        }
        return m.trim();
    }
}
