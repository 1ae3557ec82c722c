package dev.hearth.pprof;

/**
 * One frame as pprof carries it. {@code file} is the source file (Java) or empty, {@code line} 0
 * when unknown; {@code binary} and {@code buildId} name the mapping, empty when there is none.
 */
public record StackFrame(String name, FrameKind kind, String file, long line, String binary, String buildId) {
    public StackFrame {
        if (name == null) throw new IllegalArgumentException("frame name is null");
        if (kind == null) kind = FrameKind.NATIVE;
        if (file == null) file = "";
        if (binary == null) binary = "";
        if (buildId == null) buildId = "";
    }

    public static StackFrame of(String name, FrameKind kind) {
        return new StackFrame(name, kind, "", 0, "", "");
    }
}
