package dev.hearth.pprof;

/** A profile that cannot be read or is inconsistent; the message says what and where. */
public class InvalidProfileException extends Exception {
    public InvalidProfileException(String message) {
        super(message);
    }

    public InvalidProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
