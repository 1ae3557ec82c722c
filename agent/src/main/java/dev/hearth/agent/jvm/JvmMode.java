package dev.hearth.agent.jvm;

import java.util.Arrays;
import java.util.stream.Collectors;

/** {@code --jvm-mode}: how Java frames of a JVM are obtained. */
public enum JvmMode {
    /** async-profiler where it can attach, else eBPF with the JVM's perf map. */
    AUTO("auto"),
    /** eBPF with the JVM's perf map only. */
    EBPF("ebpf"),
    /** async-profiler only: a JVM it cannot attach to is not profiled (and the log says why). */
    ASYNC_PROFILER("async-profiler");

    private final String id;

    JvmMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static JvmMode parse(String s) {
        for (JvmMode m : values()) {
            if (m.id.equals(s)) return m;
        }
        throw new IllegalArgumentException("unknown jvm mode '" + s + "', expected one of "
                + Arrays.stream(values()).map(JvmMode::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
