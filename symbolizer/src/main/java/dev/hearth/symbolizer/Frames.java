package dev.hearth.symbolizer;

/** Frames for addresses that could not be named: never dropped, tied to their binary where known. */
final class Frames {
    static final String UNKNOWN = "[unknown]";
    static final String ANON = "[anon]";

    private Frames() {}

    /** {@code libfoo.so+0x1a2b}, or {@code [unknown]} when the address is in no mapping. */
    static Frame unknown(String binary, String buildId, long offset) {
        if (binary == null) return new Frame(UNKNOWN, FrameKind.UNKNOWN, null, null, offset);
        int slash = binary.lastIndexOf('/');
        String base = slash < 0 ? binary : binary.substring(slash + 1);
        return new Frame(base + "+0x" + Long.toHexString(offset), FrameKind.UNKNOWN, binary, buildId, offset);
    }
}
