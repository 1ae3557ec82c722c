package dev.hearth.pprof.jfr;

import dev.hearth.pprof.FrameKind;

/** Maps the frame type names JFR writers put in stack frames to our frame kinds. */
final class JfrFrameKinds {
    private JfrFrameKinds() {}

    /**
     * async-profiler writes "Interpreted", "JIT compiled", "C1 compiled", "Inlined", "Native"
     * (C functions), "C++" and "Kernel"; the JDK's own recorder uses the first four and "Native"
     * for Java native methods, which both name code outside the JVM's compilers.
     */
    static FrameKind of(String type) {
        if (type == null) return FrameKind.UNKNOWN;
        return switch (type) {
            case "Interpreted" -> FrameKind.INTERPRETED;
            case "JIT compiled" -> FrameKind.JIT;
            case "C1 compiled" -> FrameKind.C1;
            case "Inlined" -> FrameKind.INLINED;
            case "Native" -> FrameKind.NATIVE;
            case "C++" -> FrameKind.CPP;
            case "Kernel" -> FrameKind.KERNEL;
            default -> FrameKind.UNKNOWN;
        };
    }
}
