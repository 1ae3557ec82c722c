package dev.hearth.symbolizer;

/** Frames for addresses that could not be named: never dropped, tied to their binary where known. */
final class Frames {
    static final String UNKNOWN = "[unknown]";
    static final String ANON = "[anon]";
    /** The binary of JIT-compiled code: it lives in no file. */
    static final String JIT_BINARY = "[jit]";
    static final String JIT = "[jit]";

    private Frames() {}

    /** JIT code of a JVM that its perf map does not name (yet): kept, as {@code [jit]}. */
    static Frame jit(long addr) {
        return new Frame(JIT, FrameKind.JIT, JIT_BINARY, null, addr);
    }

    static boolean isUnnamedJit(Frame f) {
        return f.kind() == FrameKind.JIT && f.name().equals(JIT);
    }

    /** {@code libfoo.so+0x1a2b}, or {@code [unknown]} when the address is in no mapping. */
    static Frame unknown(String binary, String buildId, long offset) {
        if (binary == null) return new Frame(UNKNOWN, FrameKind.UNKNOWN, null, null, offset);
        int slash = binary.lastIndexOf('/');
        String base = slash < 0 ? binary : binary.substring(slash + 1);
        return new Frame(base + "+0x" + Long.toHexString(offset), FrameKind.UNKNOWN, binary, buildId, offset);
    }
}
