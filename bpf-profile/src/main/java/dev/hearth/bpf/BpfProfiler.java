package dev.hearth.bpf;

import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts the profiling programs into the kernel and drains the stacks they fold there.
 * One thread drives it; {@link #close()} may come from another.
 */
public final class BpfProfiler implements AutoCloseable {
    private static final int BPF_STATS_RUN_TIME = 0;

    private final ProfilerConfig config;
    private final MapSizing sizing;
    private final ProfileObject object;
    private final Attachments attachments = new Attachments();
    private final Control control;
    private final Drainer drainer;
    private final int dropsFd;
    private final int targetPidsFd;
    private final int possibleCpus;
    private final List<Integer> programIds;
    private final UnwindLoader unwinder; // null: user stacks by frame pointer
    private Set<Integer> targets = Set.of();
    private boolean closed;

    private BpfProfiler(ProfilerConfig config, MapSizing sizing, ProfileObject object, Unwinding unwinding) {
        this.config = config;
        this.sizing = sizing;
        this.object = object;
        this.control = new Control(object.control(), object.abi.control());
        this.drainer = new Drainer(
                control,
                object.abi,
                new int[] {object.mapFd("counts0"), object.mapFd("counts1")},
                new int[] {object.mapFd("stacks0"), object.mapFd("stacks1")},
                object.mapFd("known_stacks"),
                startMaps(config, object));
        this.dropsFd = object.mapFd("drops");
        this.targetPidsFd = object.mapFd("target_pids");
        this.possibleCpus = Cpus.possible();
        this.programIds = object.programStats().stream().map(ProgramStats::id).toList();
        this.unwinder = object.unwinding
                ? new UnwindLoader(
                        unwinding.source(),
                        new UnwindMaps(object, possibleCpus),
                        unwinding.budgetBytes(),
                        UnwindProbe.PROCESSES)
                : null;
    }

    /** the start maps in use: intervals spanning a drain keep their stacks there */
    private static List<StartMap> startMaps(ProfilerConfig config, ProfileObject object) {
        List<StartMap> maps = new ArrayList<>();
        if (config.offCpu()) {
            maps.add(new StartMap(object.mapFd("offcpu_starts"), 4, 0, object.abi.start()));
        }
        if (config.uprobes().stream().anyMatch(UprobeSpec::latency)) {
            KernelAbi.ProbeKey key = object.abi.probeKey();
            maps.add(new StartMap(object.mapFd("call_starts"), key.size(), key.tid(), object.abi.start()));
        }
        return maps;
    }

    /** Loads and attaches the programs {@code config} asks for; user stacks are walked by frame pointer. */
    public static BpfProfiler start(ProfilerConfig config) {
        return start(config, null);
    }

    /**
     * Loads and attaches the programs {@code config} asks for; with {@code unwinding} (may be null),
     * user stacks are walked by unwind table where the kernel allows it, by frame pointer otherwise.
     */
    public static BpfProfiler start(ProfilerConfig config, Unwinding unwinding) {
        if (!config.onCpu() && !config.offCpu() && config.uprobes().isEmpty()) {
            throw new BpfException("nothing to profile: enable on-CPU, off-CPU or give a uprobe");
        }
        if (!Files.exists(Path.of("/sys/kernel/btf/vmlinux"))) {
            throw new BpfException("no kernel BTF (/sys/kernel/btf/vmlinux is missing): use a kernel built with "
                    + "CONFIG_DEBUG_INFO_BTF=y (Linux 5.8 or newer); the programs are relocated against it");
        }
        checkPids(config.pids());
        List<Integer> cpus = Cpus.online();
        MapSizing sizing = MapSizing.of(config, cpus.size());
        ProfileObject object = ProfileObject.load(config, sizing, unwinding != null);
        BpfProfiler p;
        try {
            p = new BpfProfiler(config, sizing, object, unwinding);
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
        try {
            p.setTargetPids(config.pids());
            if (p.unwinder != null) {
                p.unwinder.track(config.pids());
                p.unwinder.start();
            }
            p.attach(cpus);
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private void attach(List<Integer> cpus) {
        if (config.onCpu()) {
            attachments.perfEvents(object.program("on_cpu"), cpus, config.hz());
        }
        if (config.offCpu()) {
            attachments.auto(object.program(object.offCpuProgram), "sched_switch (" + object.offCpuProgram + ")");
        }
        List<UprobeSpec> uprobes = config.uprobes();
        for (int i = 0; i < uprobes.size(); i++) {
            UprobeSpec spec = uprobes.get(i);
            attachments.uprobe(object.program("uprobe_entry"), spec, i | (spec.latency() ? 1L << 32 : 0), false);
            if (spec.latency()) {
                attachments.uprobe(object.program("uprobe_return"), spec, i, true);
            }
        }
    }

    /** Everything counted since the previous drain; nothing is lost at the switch. */
    public synchronized List<RawSample> drain() {
        requireOpen();
        return drainer.drain();
    }

    /** True when a map passed its fill threshold: drain before the period ends. */
    public synchronized boolean drainDue() {
        requireOpen();
        int set = control.gen() & 1;
        return sizing.pastThreshold(control.inserts(set), control.stackInserts(set));
    }

    /** Cumulative drop counts per reason. */
    public synchronized DropCounters drops() {
        requireOpen();
        KernelAbi.Drops d = object.abi.drops();
        return new DropCounters(
                perCpuSum(d.userStack()),
                perCpuSum(d.kernelStack()),
                drainer.stackCollisions(),
                perCpuSum(d.stackMapFull()),
                perCpuSum(d.countsFull()),
                perCpuSum(d.startFull()));
    }

    private long perCpuSum(int reason) {
        long sum = 0;
        try (Memory key = new Memory(4);
                Memory values = new Memory(8L * possibleCpus)) {
            key.setInt(0, reason);
            if (LibBpf.bpf_map_lookup_elem(dropsFd, key, values) == 0) {
                for (long v : values.getLongArray(0, possibleCpus)) {
                    sum += v;
                }
            }
        }
        return sum;
    }

    /**
     * Cumulative count of off-CPU blocks and timed calls whose end was never seen: a new one began
     * first (recursion, longjmp, or a context switch the tracepoint did not report), or the thread
     * exited inside it (found by a drain). Not part of {@link DropCounters}, whose shape other
     * modules construct.
     */
    public synchronized long unendedIntervals() {
        requireOpen();
        return perCpuSum(object.abi.drops().unended()) + drainer.sweptStarts();
    }

    /**
     * Cumulative count of stacks that drained samples named but no stacks map held, so that they
     * came out empty: expected only after {@link DropCounters#stackMapFull()}.
     */
    public synchronized long unresolvedStacks() {
        requireOpen();
        return drainer.unresolvedStacks();
    }

    /** True when user stacks are walked by unwind table (asked for, and the kernel accepted the walk). */
    public boolean unwindsByTable() {
        return unwinder != null;
    }

    /** Outcomes of the table walks and the tables loaded; {@link UnwindStats#NONE} without unwinding. */
    public synchronized UnwindStats unwindStats() {
        requireOpen();
        return unwinder == null ? UnwindStats.NONE : unwinder.stats();
    }

    /** Restricts sampling to these processes (tgids) from now on; empty means every process. */
    public synchronized void setTargetPids(Set<Integer> pids) {
        requireOpen();
        checkPids(pids);
        if (pids.size() > sizing.targetPids()) {
            throw new BpfException("at most " + sizing.targetPids() + " target pids, got " + pids.size());
        }
        try (Memory key = new Memory(4);
                Memory one = new Memory(1)) {
            one.setByte(0, (byte) 1);
            for (int pid : pids) {
                key.setInt(0, pid);
                int err = LibBpf.bpf_map_update_elem(targetPidsFd, key, one, 0);
                if (err < 0) {
                    throw new BpfException("cannot add target pid " + pid + ": " + LibC.errorName(-err));
                }
            }
            control.filterPids(!pids.isEmpty());
            for (int pid : targets) {
                if (!pids.contains(pid)) {
                    key.setInt(0, pid);
                    LibBpf.bpf_map_delete_elem(targetPidsFd, key);
                }
            }
        }
        targets = Set.copyOf(pids);
    }

    /** Kernel ids of the programs this profiler loaded (as listed by `bpftool prog show`). */
    public List<Integer> programIds() {
        return programIds;
    }

    /** Run time and count per loaded program (zero unless BPF stats are enabled). */
    public synchronized List<ProgramStats> programStats() {
        requireOpen();
        return object.programStats();
    }

    /**
     * Turns on kernel BPF run-time accounting (all programs) until the returned handle is closed;
     * it costs a little per program run, so only benchmarks use it.
     */
    public static AutoCloseable enableStats() {
        int fd = LibBpf.bpf_enable_stats(BPF_STATS_RUN_TIME);
        if (fd < 0) {
            throw new BpfException("cannot enable BPF stats: " + LibC.errorName(-fd)
                    + " — needs CAP_SYS_ADMIN, or set sysctl kernel.bpf_stats_enabled=1");
        }
        return () -> LibC.close(fd);
    }

    /** Kernel memory charged to this profiler's maps, in bytes (the "memlock" of each map fd). */
    public synchronized long mapMemoryBytes() {
        requireOpen();
        long total = 0;
        for (String m : new String[] {
            "counts0",
            "counts1",
            "stacks0",
            "stacks1",
            "known_stacks",
            "scratch",
            "offcpu_starts",
            "call_starts",
            "target_pids",
            "drops",
            ".bss",
            ".rodata",
            "unwind_processes",
            "unwind_tables",
            "unwind_requests",
            "unwind_stats",
            UnwindProbe.RODATA
        }) {
            total += memlock(object.mapFd(m));
        }
        return total + (unwinder == null ? 0 : unwinder.tableBytes());
    }

    /** timing of the last drain, for benchmarks */
    Drainer.Timing lastDrainTiming() {
        return drainer.lastTiming();
    }

    /** Stacks and counts entries per map set, as sized for the drain period. */
    public String sizingSummary() {
        return "counts=" + sizing.counts() + " stacks=" + sizing.stacks() + " per set";
    }

    /** Detaches and unloads everything; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        attachments.close();
        if (unwinder != null) {
            unwinder.close();
        }
        object.close();
        drainer.close();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("BpfProfiler is closed");
        }
    }

    private static void checkPids(Set<Integer> pids) {
        Set<Integer> missing = new HashSet<>();
        for (int pid : pids) {
            if (!Files.isDirectory(Path.of("/proc", Integer.toString(pid)))) {
                missing.add(pid);
            }
        }
        if (!missing.isEmpty()) {
            throw new BpfException("no process with pid " + missing + " (nothing in /proc): pass the pid of a "
                    + "running process, or no pid to profile every process");
        }
    }

    private static long memlock(int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                if (line.startsWith("memlock:")) {
                    return Long.parseLong(line.substring(8).trim());
                }
            }
            return 0;
        } catch (IOException e) {
            throw new BpfException("cannot read /proc/self/fdinfo/" + fd, e);
        }
    }
}
