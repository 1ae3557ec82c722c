package dev.hearth.agent;

import dev.hearth.pprof.StackFrame;
import java.util.List;

/** Turns a sampled stack's raw addresses into frames. */
public interface StackResolver {
    /** Frames leaf first: the kernel part (nearest the leaf) and then the user part. */
    List<StackFrame> resolve(int pid, long[] userStack, long[] kernelStack);

    /** The process exited: its per-process state can go. */
    default void forget(int pid) {}

    /** A profiling period ended. */
    default void endPeriod() {}
}
