package org.diffdenoise.node;

/** A C-STORE destination: the called AE title and where it listens. */
public record DicomDestination(String aeTitle, String host, int port) {

    public DicomDestination {
        AcceptedCaller.checkAeTitle(aeTitle);
        if (host == null || host.isBlank()) throw new IllegalArgumentException("destination host is empty");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("destination port " + port + " is not in 1-65535");
    }

    /** Parses {@code AE@host:port}. */
    public static DicomDestination parse(String text) {
        int at = text.indexOf('@');
        int colon = text.lastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == text.length() - 1)
            throw new IllegalArgumentException("destination '" + text + "' is not AE@host:port");
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("destination '" + text + "': port is not a number");
        }
        return new DicomDestination(text.substring(0, at), text.substring(at + 1, colon), port);
    }

    @Override
    public String toString() {
        return aeTitle + "@" + host + ":" + port;
    }
}
