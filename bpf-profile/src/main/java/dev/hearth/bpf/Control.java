package dev.hearth.bpf;

import com.sun.jna.Pointer;

/**
 * The `control` block in the object's .bss, memory-mapped and shared with the programs:
 * {@code { u32 gen; u32 stashed_below; u32 filter_pids; u32 pad; u64 inserts[2]; }}.
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

    void stashedBelow(int gen) {
        mem.setInt(4, gen);
    }

    void filterPids(boolean on) {
        mem.setInt(8, on ? 1 : 0);
    }

    long inserts(int set) {
        return mem.getLong(16 + 8L * set);
    }

    void resetInserts(int set) {
        mem.setLong(16 + 8L * set, 0);
    }
}
