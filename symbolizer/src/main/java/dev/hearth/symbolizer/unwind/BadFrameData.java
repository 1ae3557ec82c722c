package dev.hearth.symbolizer.unwind;

/** Malformed or unsupported frame data in one entry: that entry is skipped. Cheap: no stack trace. */
final class BadFrameData extends RuntimeException {
    BadFrameData(String message) {
        super(message, null, false, false);
    }
}
