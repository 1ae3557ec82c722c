package dev.hearth.agent.jvm;

import dev.hearth.agent.proc.ProcessStatus;
import dev.hearth.symbolizer.procfs.PidMaps;
import dev.hearth.symbolizer.procfs.PidStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Chooses, once per JVM, between async-profiler and eBPF. In auto mode a JVM goes to eBPF when
 * attaching is impossible (disabled, SIGQUIT not handled, not a HotSpot JVM) — checked first, since
 * sending the attach signal to such a JVM prints a thread dump or kills it — or when the attach
 * itself fails.
 */
public final class JvmModeSelector {
    /** Starts async-profiler in a JVM; IOException says why it could not. */
    @FunctionalInterface
    public interface Starter {
        AsyncProfilerSession start(int pid) throws IOException;
    }

    static final String DISABLE_ATTACH = "DisableAttachMechanism";

    /** The agent's effective uid: not root, it can attach only to JVMs of its own user. */
    private static final int AGENT_EUID = agentEuid();

    private final JvmMode mode;
    private final Starter starter;
    private final Path proc;

    public JvmModeSelector(JvmMode mode, Starter starter) {
        this(mode, starter, JvmTarget.PROC);
    }

    JvmModeSelector(JvmMode mode, Starter starter, Path proc) {
        this.mode = mode;
        this.starter = starter;
        this.proc = proc;
    }

    public JvmMode mode() {
        return mode;
    }

    public JvmChoice choose(int pid) {
        if (mode == JvmMode.EBPF) return new JvmChoice(JvmChoice.Profiler.EBPF, "--jvm-mode ebpf", null);
        Optional<String> obstacle = obstacle(proc.resolve(Integer.toString(pid)));
        if (obstacle.isPresent()) return fallback(obstacle.get());
        try {
            AsyncProfilerSession session = starter.start(pid);
            String engine = session.cpuEvent() == null ? "no cpu event" : "cpu event " + session.cpuEvent();
            return new JvmChoice(JvmChoice.Profiler.ASYNC_PROFILER, "attached (" + engine + ")", session);
        } catch (IOException | RuntimeException e) {
            return fallback("attach failed: " + e.getMessage());
        }
    }

    private JvmChoice fallback(String why) {
        return mode == JvmMode.AUTO
                ? new JvmChoice(JvmChoice.Profiler.EBPF, why, null)
                : new JvmChoice(JvmChoice.Profiler.NONE, why, null);
    }

    /** Why async-profiler cannot be attached to the process at {@code pidDir}, if something tells. */
    static Optional<String> obstacle(Path pidDir) {
        return obstacle(pidDir, AGENT_EUID);
    }

    static Optional<String> obstacle(Path pidDir, int agentEuid) {
        try {
            if (!PidMaps.mapsLibjvm(pidDir)) {
                return Optional.of("unsupported JVM (no HotSpot libjvm.so)");
            }
            if (JvmFlags.bool(pidDir, DISABLE_ATTACH).orElse(false))
                return Optional.of("attach disabled (-XX:+" + DISABLE_ATTACH + ")");
            PidStatus status = PidStatus.read(pidDir);
            if (!status.catchesSigquit()) {
                return Optional.of("attach impossible: the JVM does not handle SIGQUIT (-Xrs)");
            }
            int jvmEuid = status.effectiveUid();
            if (agentEuid != 0 && jvmEuid != agentEuid) {
                // HotSpot's own check of the peer (SO_PEERCRED): no capability of ours gets past it
                return Optional.of(
                        "attach impossible: HotSpot takes attach requests only from root or its own user (uid "
                                + jvmEuid + "), and the agent runs as uid " + agentEuid);
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot inspect the process: " + e.getMessage());
        }
    }

    private static int agentEuid() {
        try {
            return ProcessStatus.read(
                            JvmTarget.PROC, (int) ProcessHandle.current().pid())
                    .euid();
        } catch (IOException e) {
            return 0; // unknown: the attach itself will tell
        }
    }
}
