package dev.hearth.bpf;

/** What a sample measures; the unit of {@link RawSample#value()} follows from it. */
public enum SampleType {
    /** on-CPU stacks from the cpu-clock perf event; value in samples */
    ON_CPU("samples"),
    /** blocked time from sched_switch; value in nanoseconds */
    OFF_CPU("nanoseconds"),
    /** calls of a uprobe'd function; value in calls */
    UPROBE_CALLS("calls"),
    /** time spent inside a uprobe'd function (entry to return); value in nanoseconds */
    UPROBE_LATENCY("nanoseconds");

    private final String unit;

    SampleType(String unit) {
        this.unit = unit;
    }

    public String unit() {
        return unit;
    }
}
