package dev.hearth.pprof;

/**
 * One frame, from the symbolizer or a JFR recording to the collector. {@code file} is the source
 * file (Java) or empty, {@code line} 0 when unknown; {@code binary} and {@code buildId} name the
 * mapping, empty when there is none; {@code offset} is where the address lies in {@code binary}
 * (the address itself for kernel, JIT and unmapped frames), 0 when the frame came without one.
 */
public record StackFrame(
        String name, FrameKind kind, String file, long line, String binary, String buildId, long offset) {
    public StackFrame {
        if (name == null) throw new IllegalArgumentException("frame name is null");
        if (kind == null) kind = FrameKind.NATIVE;
        if (file == null) file = "";
        if (binary == null) binary = "";
        if (buildId == null) buildId = "";
    }

    /** A frame without an address (from JFR, or read back from a profile). */
    public StackFrame(String name, FrameKind kind, String file, long line, String binary, String buildId) {
        this(name, kind, file, line, binary, buildId, 0);
    }

    public static StackFrame of(String name, FrameKind kind) {
        return new StackFrame(name, kind, "", 0, "", "");
    }

    /** A frame named from an address: no source file or line. */
    public static StackFrame ofAddress(String name, FrameKind kind, String binary, String buildId, long offset) {
        return new StackFrame(name, kind, "", 0, binary, buildId, offset);
    }
}
