package dev.hearth.bpf;

/** Run as an unprivileged user by a test: prints what starting the profiler says. */
public final class NoPrivilegeProbe {
    private NoPrivilegeProbe() {}

    public static void main(String[] args) {
        try (BpfProfiler p = BpfProfiler.start(ProfilerConfig.defaults())) {
            System.out.println("started");
        } catch (BpfException e) {
            System.out.println("BpfException: " + e.getMessage());
        }
    }
}
