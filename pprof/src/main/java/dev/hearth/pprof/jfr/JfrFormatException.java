package dev.hearth.pprof.jfr;

import java.io.IOException;

/** The input is not a JFR recording (nor a gzipped one), or no chunk of it could be read. */
public final class JfrFormatException extends IOException {
    public JfrFormatException(String message) {
        super(message);
    }

    public JfrFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
