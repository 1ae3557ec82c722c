package dev.hearth.pprof;

/**
 * What kind of code a frame is; {@code CPP} is a native frame whose name was demangled from C++,
 * {@code C1} a method compiled by the JVM's first tier (async-profiler tells it). It travels in pprof as a suffix {@code _[tag]} on the function's
 * system_name, which go tool pprof does not display, so our collector can read it back while
 * other pprof readers see plain names. Tags follow async-profiler's collapsed format where it has one.
 */
public enum FrameKind {
    KERNEL("k"),
    NATIVE("n"),
    CPP("p"),
    JIT("j"),
    C1("1"),
    INTERPRETED("0"),
    INLINED("i"),
    STUB("s"),
    UNKNOWN("u");

    private final String tag;

    FrameKind(String tag) {
        this.tag = tag;
    }

    /** The lower-case name used in JSON and the UI: "kernel", "jit", … */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public String tag() {
        return tag;
    }

    /** {@code name} with this kind's suffix, as written to system_name. */
    public String suffixed(String name) {
        return name + "_[" + tag + "]";
    }

    /** The kind encoded at the end of a system_name; frames from other tools count as native. */
    public static FrameKind ofSystemName(String systemName) {
        int n = systemName.length();
        if (n >= 4 && systemName.charAt(n - 1) == ']') {
            int open = systemName.lastIndexOf("_[");
            if (open >= 0) {
                String tag = systemName.substring(open + 2, n - 1);
                for (FrameKind k : values()) {
                    if (k.tag.equals(tag)) return k;
                }
            }
        }
        return NATIVE;
    }

    /** Parses an {@link #id()}; unknown ids are an error. */
    public static FrameKind ofId(String id) {
        for (FrameKind k : values()) {
            if (k.id().equals(id)) return k;
        }
        throw new IllegalArgumentException("unknown frame kind '" + id + "'");
    }
}
