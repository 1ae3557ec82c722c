package dev.hearth.agent.jvm;

/**
 * Where one JVM's profiles come from, and why. {@code session} is set for async-profiler only.
 * {@link #label()} is the value of the {@value #LABEL} label on that JVM's profiles.
 */
public record JvmChoice(Profiler profiler, String reason, AsyncProfilerSession session) {
    public static final String LABEL = "jvm_profiler";

    public enum Profiler {
        ASYNC_PROFILER("async-profiler"),
        EBPF("ebpf"),
        /** --jvm-mode async-profiler and the JVM cannot be attached: not profiled. */
        NONE("none");

        private final String id;

        Profiler(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public String label() {
        return profiler.id();
    }
}
