package dev.hearth.collector;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Where a person opens the UI: the listening address, or this machine's name when it listens on every address. */
final class UiAddress {
    private UiAddress() {}

    static String of(String scheme, String host, int port) {
        String h = host;
        if (h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]")) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                h = "localhost";
            }
        } else if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            h = "[" + h + "]"; // an IPv6 literal
        }
        return scheme + "://" + h + ":" + port + "/";
    }
}
