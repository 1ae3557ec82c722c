package dev.hearth.symbolizer;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.StackFrame;

/** Frames for addresses that could not be named: never dropped, tied to their binary where known. */
final class Frames {
    static final String UNKNOWN = "[unknown]";
    static final String ANON = "[anon]";
    /** The binary of JIT-compiled code: it lives in no file. */
    static final String JIT_BINARY = "[jit]";

    static final String JIT = "[jit]";

    private Frames() {}

    /** JIT code of a JVM that its perf map does not name (yet): kept, as {@code [jit]}. */
    static StackFrame jit(long addr) {
        return StackFrame.ofAddress(JIT, FrameKind.JIT, JIT_BINARY, null, addr);
    }

    /** {@code libfoo.so+0x1a2b}, or {@code [unknown]} when the address is in no mapping. */
    static StackFrame unknown(String binary, String buildId, long offset) {
        if (binary == null) return StackFrame.ofAddress(UNKNOWN, FrameKind.UNKNOWN, null, null, offset);
        int slash = binary.lastIndexOf('/');
        String base = slash < 0 ? binary : binary.substring(slash + 1);
        return StackFrame.ofAddress(
                base + "+0x" + Long.toHexString(offset), FrameKind.UNKNOWN, binary, buildId, offset);
    }
}
