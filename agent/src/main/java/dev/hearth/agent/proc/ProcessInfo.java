package dev.hearth.agent.proc;

/**
 * What the agent knows about one process, read once when it is first seen.
 *
 * @param startTicks   start time in clock ticks since boot (/proc/PID/stat field 22); with the pid it
 *                     identifies the process even after the pid is reused
 * @param comm         the process name (/proc/PID/comm)
 * @param service      the service name (see {@link ServiceNamer})
 * @param version      the deploy version, or null when none is known
 * @param jvm          the process is a Java virtual machine
 * @param kernelThread a kernel thread (no user space)
 * @param byExecutable the service is only its executable's name (see {@link ServiceNamer.Naming})
 */
public record ProcessInfo(
        int pid,
        long startTicks,
        String comm,
        String service,
        String version,
        boolean jvm,
        boolean kernelThread,
        boolean byExecutable) {

    public ProcessInfo(
            int pid, long startTicks, String comm, String service, String version, boolean jvm, boolean kernelThread) {
        this(pid, startTicks, comm, service, version, jvm, kernelThread, false);
    }

    /**
     * Stand-in for a process that exited before it could be read: short-lived by definition. The
     * sampled thread's name is only its comm, never its service.
     */
    public static ProcessInfo vanished(int pid, String comm) {
        return new ProcessInfo(pid, -1, comm, ServiceNamer.SHORT_LIVED_SERVICE, null, false, false, true);
    }

    public ProcessInfo withService(String s) {
        return new ProcessInfo(pid, startTicks, comm, s, version, jvm, kernelThread, byExecutable);
    }
}
