package dev.hearth.collector.otlp;

/** OTLP profile data that cannot be read: a bad index, a count past a bound, a type we do not store. The client's fault (400). */
public final class OtlpFormatException extends Exception {
    public OtlpFormatException(String message) {
        super(message);
    }
}
