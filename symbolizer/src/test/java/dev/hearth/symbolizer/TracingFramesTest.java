package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TracingFramesTest {
    @Test
    void onlyTheLeafRunOfTracingFramesCounts() {
        List<String> offCpu = List.of(
                "bpf_prog_7df359fc90e5fc93_off_cpu", "bpf_trace_run4", "__schedule", "schedule", "do_nanosleep");
        assertEquals(2, TracingFrames.leafCount(offCpu, Function.identity()));
        assertEquals(
                0,
                TracingFrames.leafCount(List.of("__schedule", "bpf_trace_run4"), Function.identity()),
                "deeper ones are real work");
        assertEquals(0, TracingFrames.leafCount(List.<String>of(), Function.identity()));
    }
}
