package dev.hearth.agent;

import dev.hearth.pprof.StackFrame;
import dev.hearth.symbolizer.Symbolizer;
import dev.hearth.symbolizer.TracingFrames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link StackResolver} backed by the symbolizer module, with a frame cache: a process's stacks
 * repeat period after period, so each named (pid, address) is symbolized once. A process's frames
 * are dropped when the symbolizer's view of it changes ({@link Symbolizer#generation}: maps re-read,
 * perf map reloaded), when it execs (checked once per period by its {@link ExecStamp}), when it
 * exits, and when it holds more than {@value #MAX_FRAMES_PER_PROCESS}. Kernel frames are kept until
 * kallsyms is read again. Frames that could not be named are kept until the period ends, then asked
 * for again (a new mapping or JIT method may name them).
 */
public final class SymbolizingResolver implements StackResolver {
    static final int MAX_FRAMES_PER_PROCESS = 50_000;

    private final Symbolizer symbolizer;
    private final Map<Integer, ProcessFrames> processes = new HashMap<>();
    private final FrameTable kernel = new FrameTable();
    private long kernelGeneration = -1;
    private final Counts hits = new Counts();

    public SymbolizingResolver(Symbolizer symbolizer) {
        this.symbolizer = symbolizer;
    }

    @Override
    public synchronized List<StackFrame> resolve(int pid, long[] userStack, long[] kernelStack) {
        List<StackFrame> out = new ArrayList<>(userStack.length + kernelStack.length);
        if (kernelStack.length > 0) {
            resolveKernel(kernelStack, out);
            out.subList(0, TracingFrames.leafCount(out, StackFrame::name)).clear(); // the profiler's own frames
        }
        if (userStack.length > 0) resolveUser(pid, userStack, out);
        return out;
    }

    private void resolveKernel(long[] addrs, List<StackFrame> out) {
        if (kernel.addCached(addrs, out, hits)) return;
        List<StackFrame> frames = symbolizer.kernel(addrs);
        long g = symbolizer.kernelGeneration();
        if (g != kernelGeneration) {
            kernel.clear();
            kernelGeneration = g;
        }
        kernel.addAndKeep(addrs, frames, out);
    }

    private void resolveUser(int pid, long[] addrs, List<StackFrame> out) {
        ProcessFrames p = processes.get(pid);
        if (p == null) {
            p = new ProcessFrames(ExecStamp.read(pid));
            processes.put(pid, p);
        } else if (!p.checked) {
            ExecStamp now = ExecStamp.read(pid);
            if (!now.equals(p.stamp)) {
                // a new program in the same process: nothing the symbolizer knew of it holds
                symbolizer.forget(pid);
                p.frames.clear();
                p.stamp = now;
            }
        }
        p.checked = true;
        if (p.frames.addCached(addrs, out, hits)) return;
        List<StackFrame> frames = symbolizer.user(pid, addrs);
        long g = symbolizer.generation(pid);
        if (g != p.generation || p.frames.size() > MAX_FRAMES_PER_PROCESS) {
            p.frames.clear();
            p.generation = g;
        }
        p.frames.addAndKeep(addrs, frames, out);
    }

    /** A period ended: frames that could not be named are asked for again, exec stamps checked again. */
    @Override
    public synchronized void endPeriod() {
        kernel.endPeriod();
        for (ProcessFrames p : processes.values()) {
            p.frames.endPeriod();
            p.checked = false;
        }
    }

    @Override
    public synchronized void forget(int pid) {
        processes.remove(pid);
        symbolizer.forget(pid);
    }

    /** Named frames served from the cache, without asking the symbolizer. */
    public synchronized long cacheHits() {
        return hits.named;
    }

    /** Frames without a name served from the cache (asked for again next period). */
    public synchronized long unnamedCacheHits() {
        return hits.unnamed;
    }

    /** Frames held by the cache. */
    public synchronized long cachedFrames() {
        long n = kernel.size();
        for (ProcessFrames p : processes.values()) n += p.frames.size();
        return n;
    }

    private static final class ProcessFrames {
        final FrameTable frames = new FrameTable();
        ExecStamp stamp;
        long generation = Long.MIN_VALUE;
        boolean checked;

        ProcessFrames(ExecStamp stamp) {
            this.stamp = stamp;
        }
    }

    /**
     * Frames by address. The leaf and its callers are kept apart: a caller's address is a return
     * address, which the symbolizer looks up one byte earlier, so it may name another function.
     * Frames that could not be named are kept only until the period ends, then asked for again.
     */
    private static final class FrameTable {
        private final Map<Long, StackFrame> leaves = new HashMap<>();
        private final Map<Long, StackFrame> callers = new HashMap<>();
        private final Map<Long, StackFrame> unnamedLeaves = new HashMap<>();
        private final Map<Long, StackFrame> unnamedCallers = new HashMap<>();

        /** Appends the stack's frames if every one is cached; else appends nothing. */
        boolean addCached(long[] addrs, List<StackFrame> out, Counts counts) {
            int start = out.size(), unnamed = 0;
            for (int i = 0; i < addrs.length; i++) {
                StackFrame f = (i == 0 ? leaves : callers).get(addrs[i]);
                if (f == null) {
                    f = (i == 0 ? unnamedLeaves : unnamedCallers).get(addrs[i]);
                    unnamed++;
                }
                if (f == null) {
                    out.subList(start, out.size()).clear();
                    return false;
                }
                out.add(f);
            }
            counts.named += addrs.length - unnamed;
            counts.unnamed += unnamed;
            return true;
        }

        void addAndKeep(long[] addrs, List<StackFrame> frames, List<StackFrame> out) {
            for (int i = 0; i < addrs.length; i++) {
                StackFrame f = frames.get(i);
                if (Symbolizer.named(f)) (i == 0 ? leaves : callers).put(addrs[i], f);
                else (i == 0 ? unnamedLeaves : unnamedCallers).put(addrs[i], f);
                out.add(f);
            }
        }

        int size() {
            return leaves.size() + callers.size() + unnamedLeaves.size() + unnamedCallers.size();
        }

        void endPeriod() {
            unnamedLeaves.clear();
            unnamedCallers.clear();
        }

        void clear() {
            leaves.clear();
            callers.clear();
            endPeriod();
        }
    }

    /** Frames served from the cache, with a name and without. */
    private static final class Counts {
        long named;
        long unnamed;
    }
}
