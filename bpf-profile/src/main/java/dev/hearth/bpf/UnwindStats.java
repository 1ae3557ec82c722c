package dev.hearth.bpf;

/**
 * Cumulative outcomes of user stacks walked by table in the kernel, and the tables behind them.
 *
 * @param complete    walks that reached an outermost frame
 * @param noTable     walks that ended in a range without a table where the frame pointer led nowhere
 * @param budget      walks that ended because their table was evicted to stay within the budget
 * @param depth       walks cut at the maximum depth
 * @param readFault   walks that ended when a saved register or return address could not be read
 * @param tables      tables in the kernel now
 * @param tableBytes  kernel memory of their rows
 * @param evictions   tables evicted so far to stay within the budget
 * @param processes   processes whose mappings the kernel side holds
 */
public record UnwindStats(
        long complete,
        long noTable,
        long budget,
        long depth,
        long readFault,
        int tables,
        long tableBytes,
        long evictions,
        int processes) {
    public static final UnwindStats NONE = new UnwindStats(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** walks that did not reach the end of the stack */
    public long incomplete() {
        return noTable + budget + depth + readFault;
    }
}
