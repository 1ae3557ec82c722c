package dev.hearth.bpf;

/**
 * Cumulative counts of stacks and samples the kernel side could not keep, per reason. A sample
 * whose stack is missing is still counted (with that stack empty); the counters say how often.
 *
 * @param missingUserStack   user stack could not be walked (-EFAULT: no frame pointers, paged out)
 * @param missingKernelStack kernel stack could not be walked
 * @param stackCollisions    two different stacks drained under one 64-bit content hash (expected never)
 * @param stackMapFull       a new stack found no room in the stacks map (its samples come out with it empty)
 * @param countsMapFull      a sample was lost because the counts map was full
 * @param startMapFull       an off-CPU block or uprobe call was not timed: the start map was full
 */
public record DropCounters(
        long missingUserStack,
        long missingKernelStack,
        long stackCollisions,
        long stackMapFull,
        long countsMapFull,
        long startMapFull) {

    public static final DropCounters NONE = new DropCounters(0, 0, 0, 0, 0, 0);

    /** Samples lost outright (as opposed to kept with a missing stack). */
    public long lostSamples() {
        return countsMapFull + startMapFull;
    }

    public long total() {
        return missingUserStack + missingKernelStack + stackCollisions + stackMapFull + countsMapFull + startMapFull;
    }
}
