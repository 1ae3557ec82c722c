package dev.hearth.agent;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.StackFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A resolver for tests: each address names a frame from a fixed table; unknown ones are "[unknown]". */
final class FakeStacks implements StackResolver {
    private final Map<Long, String> names;
    final Set<Integer> forgotten = java.util.concurrent.ConcurrentHashMap.newKeySet();

    FakeStacks(Map<Long, String> names) {
        this.names = names;
    }

    @Override
    public List<StackFrame> resolve(int pid, long[] user, long[] kernel) {
        List<StackFrame> out = new ArrayList<>();
        for (long a : kernel) out.add(StackFrame.of(names.getOrDefault(a, "[unknown]"), FrameKind.KERNEL));
        for (long a : user) out.add(StackFrame.of(names.getOrDefault(a, "[unknown]"), FrameKind.NATIVE));
        return out;
    }

    @Override
    public void forget(int pid) {
        forgotten.add(pid);
    }
}
