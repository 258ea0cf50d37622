package org.diffdenoise.node;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A calling AE title the node accepts associations from, optionally only from one host. */
public record AcceptedCaller(String aeTitle, String host) {

    public AcceptedCaller {
        checkAeTitle(aeTitle);
    }

    /** Parses {@code AE} or {@code AE@host}. */
    public static AcceptedCaller parse(String text) {
        int at = text.indexOf('@');
        if (at < 0) return new AcceptedCaller(text, null);
        return new AcceptedCaller(text.substring(0, at), text.substring(at + 1));
    }

    /** Whether an association from {@code callingAe} at {@code address} matches this entry. */
    public boolean matches(String callingAe, InetAddress address) {
        if (!aeTitle.equals(callingAe.trim())) return false;
        if (host == null) return true;
        try {
            for (InetAddress a : InetAddress.getAllByName(host))
                if (a.equals(address)) return true;
        } catch (UnknownHostException e) {
            return false;
        }
        return false;
    }

    /** AE titles are 1-16 printable characters without backslash (PS3.5 VR AE). */
    static void checkAeTitle(String ae) {
        if (ae == null || ae.isBlank() || ae.length() > 16)
            throw new IllegalArgumentException("AE title '" + ae + "' must have 1 to 16 characters");
        for (char c : ae.toCharArray())
            if (c < 0x20 || c > 0x7e || c == '\\')
                throw new IllegalArgumentException("AE title '" + NodeLog.escape(ae) + "' has a character not allowed in an AE title");
    }

    @Override
    public String toString() {
        return host == null ? aeTitle : aeTitle + "@" + host;
    }
}
