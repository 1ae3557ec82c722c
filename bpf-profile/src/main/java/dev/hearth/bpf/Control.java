package dev.hearth.bpf;

import com.sun.jna.Pointer;

/** The `control` block in the object's .bss, memory-mapped and shared with the programs. */
final class Control {
    private final Pointer mem;
    private final KernelAbi.ControlBlock at;

    Control(Pointer mem, KernelAbi.ControlBlock at) {
        this.mem = mem;
        this.at = at;
    }

    int gen() {
        return mem.getInt(at.gen());
    }

    void gen(int gen) {
        mem.setInt(at.gen(), gen);
    }

    void filterPids(boolean on) {
        mem.setInt(at.filterPids(), on ? 1 : 0);
    }

    /** new counts keys in a set since its last drain */
    long inserts(int set) {
        return mem.getLong(at.inserts() + 8L * set);
    }

    /** new stacks in a set since its last drain */
    long stackInserts(int set) {
        return mem.getLong(at.stackInserts() + 8L * set);
    }

    void resetInserts(int set) {
        mem.setLong(at.inserts() + 8L * set, 0);
        mem.setLong(at.stackInserts() + 8L * set, 0);
    }
}
