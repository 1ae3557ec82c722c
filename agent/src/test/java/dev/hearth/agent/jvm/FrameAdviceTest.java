package dev.hearth.agent.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Real JVMs, each started with the flags a user would give: what the agent tells about their Java frames. */
class FrameAdviceTest {
    @Test
    void eachJvmGetsTheReasonItsFramesAreUnnamedAndTheFix() throws Exception {
        try (WorkloadJvm disabled = WorkloadJvm.jdk17("-XX:+PreserveFramePointer", "-XX:+DisableAttachMechanism");
                WorkloadJvm bare = WorkloadJvm.jdk17();
                WorkloadJvm ready = WorkloadJvm.jdk17("-XX:+PreserveFramePointer");
                WorkloadJvm reEnabled = WorkloadJvm.jdk17(
                        "-XX:+DisableAttachMechanism", "-XX:-DisableAttachMechanism", "-XX:+PreserveFramePointer")) {
            FrameAdvice a = advice(disabled).orElseThrow();
            assertEquals(FrameAdvice.ATTACH_DISABLED, a.reason());
            assertTrue(
                    a.explanation().contains("[jit]")
                            && a.explanation().contains("start the JVM without -XX:+DisableAttachMechanism"),
                    a.explanation());
            FrameAdvice b = advice(bare).orElseThrow();
            assertEquals(FrameAdvice.NO_FRAME_POINTERS, b.reason());
            assertTrue(
                    b.explanation().contains("[unknown]") && b.explanation().contains("-XX:+PreserveFramePointer"),
                    b.explanation());
            assertEquals(Optional.empty(), advice(ready), "frame pointers and a perf map: nothing to tell");
            assertEquals(Optional.empty(), advice(reEnabled), "the last flag wins");
        }
    }

    private static Optional<FrameAdvice> advice(WorkloadJvm jvm) {
        return FrameAdvice.forEbpf(Path.of("/proc", Integer.toString(jvm.pid())));
    }
}
