package dev.hearth.agent;

import dev.hearth.bpf.RawSample;
import dev.hearth.bpf.UprobeSpec;
import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.StackFrame;
import dev.hearth.pprof.proto.Profile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds raw samples, as they are drained, into pprof profiles: one per (process, profile type),
 * or, for {@code record}, one per type with the process name as the root frame. Samples are
 * symbolized when added, while their process still exists. The sample label {@code thread} holds
 * the thread's comm, {@code probe} the uprobe's spec. Not thread-safe.
 */
public final class ProfileAssembler {
    public static final String THREAD_LABEL = "thread";
    public static final String PROBE_LABEL = "probe";
    static final StackFrame MISSING_STACK = StackFrame.of("[missing stack]", FrameKind.UNKNOWN);

    /** pid 0 in the merged (record) mode. */
    public record Key(int pid, ProfileType type) {}

    /** Names a process for the root frame in merged mode; null falls back to the sample's comm. */
    public interface ProcessNames {
        String name(int pid);
    }

    private final StackResolver resolver;
    private final long cpuPeriodNanos;
    private final List<UprobeSpec> uprobes;
    private final ProcessNames processRoot;
    private final Map<Key, ProfileBuilder> builders = new LinkedHashMap<>();

    private ProfileAssembler(StackResolver resolver, int hz, List<UprobeSpec> uprobes, ProcessNames processRoot) {
        this.resolver = resolver;
        this.cpuPeriodNanos = 1_000_000_000L / hz;
        this.uprobes = List.copyOf(uprobes);
        this.processRoot = processRoot;
    }

    /** One profile per (process, type), for shipping. */
    public static ProfileAssembler perProcess(StackResolver resolver, int hz, List<UprobeSpec> uprobes) {
        return new ProfileAssembler(resolver, hz, uprobes, null);
    }

    /** One profile per type, every stack rooted at its process's name, as {@code record} writes. */
    public static ProfileAssembler merged(
            StackResolver resolver, int hz, List<UprobeSpec> uprobes, ProcessNames names) {
        return new ProfileAssembler(resolver, hz, uprobes, names);
    }

    public static ProfileType profileType(RawSample s) {
        return switch (s.type()) {
            case ON_CPU -> ProfileType.CPU;
            case OFF_CPU -> ProfileType.OFFCPU;
            case UPROBE_CALLS, UPROBE_LATENCY -> ProfileType.UPROBE;
        };
    }

    public void add(RawSample s) {
        if (s.value() == 0) return;
        ProfileType type = profileType(s);
        List<StackFrame> stack = new ArrayList<>(resolver.resolve(s.tgid(), s.userStack(), s.kernelStack()));
        if (stack.isEmpty()) stack.add(MISSING_STACK);
        Map<String, String> labels = new LinkedHashMap<>();
        if (s.comm() != null && !s.comm().isEmpty()) labels.put(THREAD_LABEL, s.comm());
        if (type == ProfileType.UPROBE && s.probe() >= 0 && s.probe() < uprobes.size()) {
            labels.put(PROBE_LABEL, uprobes.get(s.probe()).toString());
        }
        int pid = s.tgid();
        if (processRoot != null) {
            String name = processRoot.name(pid);
            stack.add(StackFrame.of(name != null && !name.isEmpty() ? name : s.comm(), FrameKind.UNKNOWN));
            pid = 0;
        }
        builders.computeIfAbsent(new Key(pid, type), k -> new ProfileBuilder(type))
                .add(stack, values(s), labels);
    }

    private long[] values(RawSample s) {
        long v = s.value();
        return switch (s.type()) {
            case ON_CPU -> new long[] {v, v * cpuPeriodNanos};
            case OFF_CPU -> new long[] {v};
            case UPROBE_CALLS -> new long[] {v, 0};
            case UPROBE_LATENCY -> new long[] {0, v};
        };
    }

    public boolean isEmpty() {
        return builders.isEmpty();
    }

    /** The profiles of everything added since the last call, covering [startNanos, endNanos). */
    public Map<Key, Profile> finish(long startNanos, long endNanos) {
        Map<Key, Profile> out = new LinkedHashMap<>();
        builders.forEach((key, b) -> {
            b.timeNanos(startNanos).durationNanos(Math.max(0, endNanos - startNanos));
            if (key.type() == ProfileType.CPU) b.period(cpuPeriodNanos);
            out.put(key, b.build());
        });
        builders.clear();
        return out;
    }
}
