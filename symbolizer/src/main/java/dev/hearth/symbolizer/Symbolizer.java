package dev.hearth.symbolizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns sampled addresses into frames. Kernel symbols are read once; native symbol tables are cached
 * per binary and shared across processes; per-process state (maps, JVM perf maps) lives until
 * {@link #forget(int)}. Every address yields exactly one frame: what cannot be named becomes an
 * unknown frame tied to its binary, and is counted. Thread-safe (calls are serialized).
 */
public final class Symbolizer implements AutoCloseable {
    private static final Path PROC = Path.of("/proc");

    private final SymbolizerOptions options;
    private final Map<Integer, ProcessMaps> processes = new HashMap<>();
    private KernelSymbols kernel;
    private long resolved, unknown, jitMisses, perfMapReloads, perfMapRequests, binaryLoads;
    private boolean closed;

    public Symbolizer(SymbolizerOptions options) {
        this.options = options;
    }

    /** Frames for a user stack of process {@code pid}, leaf first in and out, one per address. */
    public synchronized List<Frame> user(int pid, long[] addrs) {
        ensureOpen();
        ProcessMaps maps = processes.computeIfAbsent(pid, p -> ProcessMaps.read(PROC, p));
        List<Frame> out = new ArrayList<>(addrs.length);
        for (long addr : addrs) out.add(count(userFrame(maps, addr)));
        return out;
    }

    /** Frames for a kernel stack, leaf first in and out, one per address. */
    public synchronized List<Frame> kernel(long[] addrs) {
        ensureOpen();
        KernelSymbols k = kernelSymbols();
        List<Frame> out = new ArrayList<>(addrs.length);
        for (long addr : addrs) {
            Frame f = k.frame(addr);
            out.add(count(f != null ? f : Frames.unknown(KernelSymbols.KERNEL_BINARY, null, addr)));
        }
        return out;
    }

    /** The process exited: drop what was kept for it. */
    public synchronized void forget(int pid) {
        processes.remove(pid);
    }

    public synchronized SymbolizerStats stats() {
        return new SymbolizerStats(resolved, unknown, jitMisses, perfMapReloads, perfMapRequests, 0, 0, binaryLoads);
    }

    @Override
    public synchronized void close() {
        closed = true;
        processes.clear();
        kernel = null;
    }

    private Frame userFrame(ProcessMaps maps, long addr) {
        Mapping m = maps.find(addr);
        if (m == null) return Frames.unknown(null, null, addr);
        if (m.isFile()) return Frames.unknown(m.path(), null, m.toFileOffset(addr));
        return Frames.unknown(m.path().isEmpty() ? Frames.ANON : m.path(), null, addr);
    }

    private KernelSymbols kernelSymbols() {
        if (kernel == null) {
            try {
                kernel = KernelSymbols.load(PROC.resolve("kallsyms"));
            } catch (IOException e) {
                kernel = KernelSymbols.empty();
            }
        }
        return kernel;
    }

    private Frame count(Frame f) {
        if (f.kind() == FrameKind.UNKNOWN) unknown++; else resolved++;
        return f;
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("symbolizer is closed");
    }
}
