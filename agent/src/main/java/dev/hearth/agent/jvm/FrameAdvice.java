package dev.hearth.agent.jvm;

import dev.hearth.symbolizer.procfs.PidMaps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Why a JVM profiled through eBPF shows Java frames as {@code [jit]} or {@code [unknown]}, and what
 * its owner can do. eBPF names JIT-compiled frames from the JVM's perf map, which the agent asks
 * for through the attach mechanism, and walks Java frames only with frame pointers. The agent logs
 * {@link #explanation()} once per JVM and labels the JVM's profiles {@value #LABEL}={@link #reason()},
 * so the UI can say it beside the flame graph.
 *
 * @param reason      {@value #ATTACH_DISABLED}, {@value #ATTACH_IMPOSSIBLE} or {@value #NO_FRAME_POINTERS}
 * @param explanation a sentence for people: what they see, why, and the fix
 */
public record FrameAdvice(String reason, String explanation) {
    /** The series label that carries {@link #reason()}. */
    public static final String LABEL = "hearth_frames_unnamed";
    /** -XX:+DisableAttachMechanism: no perf map, no async-profiler; Java frames are [jit]. */
    public static final String ATTACH_DISABLED = "attach-disabled";
    /** The JVM cannot be attached for another reason (-Xrs, another user than the agent's, not HotSpot): as above. */
    public static final String ATTACH_IMPOSSIBLE = "attach-impossible";
    /** Attachable, but without -XX:+PreserveFramePointer: stacks stop at the first Java frame ([unknown]). */
    public static final String NO_FRAME_POINTERS = "no-frame-pointers";

    private static final String PRESERVE_FRAME_POINTER = "PreserveFramePointer";

    /** For process {@code pid} recorded through eBPF: empty when it is no HotSpot JVM, or its Java frames are named and whole. */
    public static Optional<FrameAdvice> forRecorded(int pid) {
        Path dir = JvmTarget.PROC.resolve(Integer.toString(pid));
        try {
            if (!PidMaps.mapsLibjvm(dir)) return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return forEbpf(dir);
    }

    /** For the JVM at {@code pidDir} whose Java frames come from eBPF; empty when they are named and whole. */
    public static Optional<FrameAdvice> forEbpf(Path pidDir) {
        try {
            boolean framePointers =
                    JvmFlags.bool(pidDir, PRESERVE_FRAME_POINTER).orElse(false);
            String cut = framePointers
                    ? ""
                    : ", and without -XX:+PreserveFramePointer its stacks stop at the first Java frame ([unknown])";
            if (JvmFlags.bool(pidDir, JvmModeSelector.DISABLE_ATTACH).orElse(false)) {
                return Optional.of(new FrameAdvice(
                        ATTACH_DISABLED,
                        "Java frames show as [jit]: -XX:+" + JvmModeSelector.DISABLE_ATTACH
                                + " keeps Hearth from asking the JVM for its symbol map (perf map) and from starting async-profiler in it"
                                + cut
                                + ". To have them named, start the JVM without -XX:+"
                                + JvmModeSelector.DISABLE_ATTACH));
            }
            Optional<String> obstacle = JvmModeSelector.obstacle(pidDir);
            if (obstacle.isPresent()) {
                return Optional.of(new FrameAdvice(
                        ATTACH_IMPOSSIBLE,
                        "Java frames show as [jit]: " + obstacle.get()
                                + ", so Hearth can neither ask the JVM for its symbol map (perf map) nor start async-profiler in it"
                                + cut
                                + ". To have them named, remove that obstacle"));
            }
            if (!framePointers) {
                return Optional.of(new FrameAdvice(
                        NO_FRAME_POINTERS,
                        "stacks stop at the first Java frame ([unknown]): the JVM runs without"
                                + " -XX:+PreserveFramePointer, which eBPF needs to walk Java frames. Run it with -XX:+PreserveFramePointer,"
                                + " or let the agent profile it with async-profiler (--jvm-mode auto)"));
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone, or unreadable: nothing to tell
        }
    }
}
