package dev.hearth.symbolizer;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.StackFrame;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns sampled addresses into frames. Kernel symbols are read once; native symbol tables are cached
 * per binary and shared across processes; per-process state (maps, JVM perf maps) lives until
 * {@link #forget(int)}. Every address yields exactly one frame: what cannot be named becomes an
 * unknown frame tied to its binary, and is counted. Thread-safe: calls are serialized, so a JVM being
 * asked for its perf map (up to a few seconds on first attach) holds up other callers meanwhile.
 */
public final class Symbolizer implements AutoCloseable {
    private static final Path PROC = Path.of("/proc");

    private final SymbolizerOptions options;
    private final PerfMapRequester perfMaps;
    private final Map<Integer, ProcessState> processes = new HashMap<>();
    private final BinaryCache binaries;
    private static final long KALLSYMS_REREAD_NANOS = 60_000_000_000L;

    private KernelSymbols kernel;
    private long kernelReadAt;
    private long kernelReads;
    private long processStates;
    private BinarySymbols vdso;
    private long resolved, unknown, jitMisses, perfMapReloads, perfMapRequests, cutSymbols, frameFailures, mapsProblems;
    private long perfMapLinesSkipped, perfMapsTruncated, perfMapsRefused;
    private boolean closed;

    /** A symbolizer that never asks JVMs for perf maps, reading only maps others left. */
    public Symbolizer(SymbolizerOptions options) {
        this(options, PerfMapRequester.NONE);
    }

    /** {@code perfMaps} asks JVMs for their perf maps when {@link SymbolizerOptions#askJvmForPerfMap()} is on. */
    public Symbolizer(SymbolizerOptions options, PerfMapRequester perfMaps) {
        this.options = options;
        this.perfMaps =
                options.askJvmForPerfMap() ? Objects.requireNonNull(perfMaps, "perfMaps") : PerfMapRequester.NONE;
        this.binaries = new BinaryCache(options.maxCachedBinaries());
    }

    /** A real name, not a placeholder for an address that could not be named (yet). */
    public static boolean named(StackFrame f) {
        return f.kind() != FrameKind.UNKNOWN
                && !(f.kind() == FrameKind.JIT && f.name().equals(Frames.JIT));
    }

    /** Frames for a user stack of process {@code pid}, leaf first in and out, one per address. */
    public synchronized List<StackFrame> user(int pid, long[] addrs) {
        ensureOpen();
        Objects.requireNonNull(addrs, "addrs");
        if (pid <= 0) throw new IllegalArgumentException("pid must be positive, got " + pid);
        ProcessState state =
                processes.computeIfAbsent(pid, p -> new ProcessState(++processStates, LiveProcessMaps.read(PROC, p)));
        List<StackFrame> out = new ArrayList<>(addrs.length);
        for (int i = 0; i < addrs.length; i++) out.add(count(userFrameOrUnknown(state, addrs[i], i > 0)));
        return out;
    }

    /** Frames for a kernel stack, leaf first in and out, one per address. */
    public synchronized List<StackFrame> kernel(long[] addrs) {
        ensureOpen();
        Objects.requireNonNull(addrs, "addrs");
        KernelSymbols k = kernelSymbols();
        List<StackFrame> out = new ArrayList<>(addrs.length);
        for (int i = 0; i < addrs.length; i++) {
            long addr = addrs[i], lookup = i > 0 ? addr - 1 : addr;
            StackFrame f = k.frame(addr, lookup);
            if (f == null && System.nanoTime() - kernelReadAt > KALLSYMS_REREAD_NANOS) {
                kernel = null; // a module loaded since: read kallsyms again, at most once a minute
                k = kernelSymbols();
                f = k.frame(addr, lookup);
            }
            out.add(count(f != null ? f : Frames.unknown(KernelSymbols.KERNEL_BINARY, null, addr)));
        }
        return out;
    }

    /**
     * Changes whenever the names of process {@code pid}'s addresses may have changed: its maps were
     * re-read and differ, its JVM perf map was reloaded, or it was forgotten (or never seen: -1). A caller that
     * caches frames keeps them while this stays the same.
     */
    public synchronized long generation(int pid) {
        ProcessState st = processes.get(pid);
        if (st == null) return -1;
        return st.serial << 32 | (st.maps.changes() + (st.jit == null ? 0 : st.jit.reloads)) & 0xffffffffL;
    }

    /** Changes whenever kernel symbols are (re)read, e.g. after a module was loaded. */
    public synchronized long kernelGeneration() {
        return kernelReads;
    }

    /** The process exited: drop what was kept for it. */
    public synchronized void forget(int pid) {
        ProcessState gone = processes.remove(pid);
        if (gone != null) retire(gone);
    }

    public synchronized SymbolizerStats stats() {
        long reloads = perfMapReloads, requests = perfMapRequests, procProblems = mapsProblems;
        long skipped = perfMapLinesSkipped, truncated = perfMapsTruncated, refused = perfMapsRefused;
        for (ProcessState st : processes.values()) {
            procProblems += st.maps.problems();
            if (st.jit != null) {
                reloads += st.jit.reloads;
                requests += st.jit.requests;
                skipped += st.jit.skippedLines;
                truncated += st.jit.truncatedReads;
                refused += st.jit.refused;
            }
        }
        return new SymbolizerStats(
                resolved,
                unknown,
                jitMisses,
                reloads,
                requests,
                binaries.size(),
                binaries.bytes() + (kernel == null ? 0 : kernel.bytes()),
                binaries.loads(),
                skipped,
                truncated,
                refused + binaries.refused(),
                cutSymbols,
                binaries.badBinaries(),
                procProblems,
                frameFailures);
    }

    @Override
    public synchronized void close() {
        closed = true;
        processes.values().forEach(this::retire);
        processes.clear();
        binaries.clear();
        kernel = null;
    }

    /**
     * Whatever naming one frame throws ends there: the frame is unknown, the rest of the stack and the
     * agent go on. The bounds below should leave nothing to catch; this counts what they missed.
     */
    private StackFrame userFrameOrUnknown(ProcessState state, long addr, boolean caller) {
        try {
            return userFrame(state, addr, caller);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            frameFailures++;
            return Frames.unknown(null, null, addr);
        }
    }

    /**
     * A caller frame holds a return address, which can lie just past the end of its function (a call
     * that never returns is often the last instruction), so callers are looked up one byte earlier.
     */
    private StackFrame userFrame(ProcessState state, long addr, boolean caller) {
        long lookup = caller ? addr - 1 : addr;
        Mapping m = state.maps.find(addr);
        if (m == null) return Frames.unknown(null, null, addr);
        if (m.isFile()) return nativeFrame(state, m, addr, lookup);
        if (m.path().equals(Vdso.BINARY)) return symbolFrame(vdso(), m, addr, lookup);
        if (m.isAnonymous() && m.executable()) return jitFrame(state, addr, lookup);
        return Frames.unknown(m.path().isEmpty() ? Frames.ANON : m.path(), null, addr);
    }

    /** Code in anonymous executable memory: JIT-compiled, named by the process's perf map. */
    private StackFrame jitFrame(ProcessState state, long addr, long lookup) {
        if (state.jit == null) {
            state.jit = new JvmPerfMaps(
                    PROC,
                    state.maps.pid(),
                    state.maps.current().isHotSpot(),
                    perfMaps,
                    options.perfMapRefreshMinInterval().toNanos(),
                    options.perfMapLimits());
        }
        PerfMap map = state.jit.lookup(lookup);
        int i = map.find(lookup);
        if (i < 0) {
            jitMisses++;
            return state.jit.isHotSpot() ? Frames.jit(addr) : Frames.unknown(Frames.ANON, null, addr);
        }
        if (!state.jit.isHotSpot())
            return StackFrame.ofAddress(map.rawName(i), FrameKind.JIT, Frames.JIT_BINARY, null, addr);
        String name = map.displayName(i);
        if (name == null) return Frames.jit(addr); // the map's display names are over their budget
        return StackFrame.ofAddress(name, map.kind(i), Frames.JIT_BINARY, null, addr);
    }

    private StackFrame nativeFrame(ProcessState state, Mapping m, long addr, long lookup) {
        // consecutive frames mostly fall in one binary: remember the last one per process
        BinarySymbols b;
        if (state.lastMapping == m && state.lastGeneration == binaries.generation()) {
            b = state.lastBinary;
        } else {
            b = binaries.get(PROC, state.maps.pid(), m);
            boolean keep = b != BinarySymbols.UNREADABLE; // unreadable files are retried later
            state.lastMapping = keep ? m : null;
            state.lastBinary = b;
            state.lastGeneration = binaries.generation();
        }
        return symbolFrame(b, m, addr, lookup);
    }

    private StackFrame symbolFrame(BinarySymbols b, Mapping m, long addr, long lookup) {
        long fileOffset = m.toFileOffset(addr);
        long vaddr = b.vaddr(m.toFileOffset(lookup));
        int i = vaddr < 0 ? -1 : b.table().find(vaddr);
        if (i < 0) return Frames.unknown(m.path(), b.buildId(), fileOffset);
        String name = b.table().displayName(i, this::symbolName);
        if (name == null) {
            cutSymbols++; // the table's display names are over their budget
            return Frames.unknown(m.path(), b.buildId(), fileOffset);
        }
        FrameKind kind = b.table().rawStartsWith(i, "_Z") && !name.startsWith("_Z") ? FrameKind.CPP : FrameKind.NATIVE;
        return StackFrame.ofAddress(name, kind, m.path(), b.buildId(), fileOffset);
    }

    /** Once per symbol: a name cut at a bound, or mangled past reading, is counted. */
    private String symbolName(String raw) {
        Demangler.Named n = Demangler.name(SymbolVersions.strip(raw));
        if (!n.complete()) cutSymbols++;
        return n.name();
    }

    private BinarySymbols vdso() {
        if (vdso == null) vdso = Vdso.load();
        return vdso;
    }

    private KernelSymbols kernelSymbols() {
        if (kernel == null) {
            kernelReadAt = System.nanoTime();
            kernelReads++;
            try {
                kernel = KernelSymbols.load(PROC.resolve("kallsyms"));
            } catch (IOException e) {
                kernel = KernelSymbols.empty();
            }
        }
        return kernel;
    }

    private StackFrame count(StackFrame f) {
        if (named(f)) resolved++;
        else unknown++;
        return f;
    }

    private void retire(ProcessState st) {
        mapsProblems += st.maps.problems();
        if (st.jit != null) {
            perfMapReloads += st.jit.reloads;
            perfMapRequests += st.jit.requests;
            perfMapLinesSkipped += st.jit.skippedLines;
            perfMapsTruncated += st.jit.truncatedReads;
            perfMapsRefused += st.jit.refused;
        }
    }

    /** What is kept per process until it is forgotten. */
    private static final class ProcessState {
        final long serial; // tells a state apart from an earlier one of the same pid
        final LiveProcessMaps maps;
        JvmPerfMaps jit;
        Mapping lastMapping;
        BinarySymbols lastBinary;
        long lastGeneration;

        ProcessState(long serial, LiveProcessMaps maps) {
            this.serial = serial;
            this.maps = maps;
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("symbolizer is closed");
    }
}
