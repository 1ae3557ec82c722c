package dev.hearth.bpf;

import com.sun.jna.Pointer;

/**
 * The `control` block in the object's .bss, memory-mapped and shared with the programs:
 * {@code { u32 gen; u32 filter_pids; u64 inserts[2]; u64 stack_inserts[2]; }}.
 */
final class Control {
    private final Pointer mem;

    Control(Pointer mem) {
        this.mem = mem;
    }

    int gen() {
        return mem.getInt(0);
    }

    void gen(int gen) {
        mem.setInt(0, gen);
    }

    void filterPids(boolean on) {
        mem.setInt(4, on ? 1 : 0);
    }

    /** new counts keys in a set since its last drain */
    long inserts(int set) {
        return mem.getLong(8 + 8L * set);
    }

    /** new stacks in a set since its last drain */
    long stackInserts(int set) {
        return mem.getLong(24 + 8L * set);
    }

    void resetInserts(int set) {
        mem.setLong(8 + 8L * set, 0);
        mem.setLong(24 + 8L * set, 0);
    }
}
