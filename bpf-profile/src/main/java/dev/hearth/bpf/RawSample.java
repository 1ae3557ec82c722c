package dev.hearth.bpf;

/**
 * One folded entry drained from the kernel: a (process, thread name, kind, probe, stacks) key and
 * its summed value since the previous drain. Stacks are raw addresses, leaf first; an empty array
 * means the stack was not available (see {@link DropCounters}) or does not apply (no kernel stack
 * for a sample taken in user mode, no user stack for a kernel thread).
 *
 * @param probe index into {@link ProfilerConfig#uprobes()} for uprobe samples, 0 otherwise
 */
public record RawSample(
        int tgid, String comm, SampleType type, int probe, long[] userStack, long[] kernelStack, long value) {}
