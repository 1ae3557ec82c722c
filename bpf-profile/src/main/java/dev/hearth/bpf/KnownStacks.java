package dev.hearth.bpf;

import com.sun.jna.Memory;

/**
 * The kernel's set of stack hashes whose frames user space holds (the known_stacks map): the
 * programs skip storing those again. Only user space writes it, in batches.
 */
final class KnownStacks {
    private final int fd;

    KnownStacks(int fd) {
        this.fd = fd;
    }

    /** Adds hashes in order until the map is full; returns how many went in. */
    int add(long[] hashes) {
        if (hashes.length == 0) {
            return 0;
        }
        try (Memory keys = keys(hashes);
                Memory values = new Memory(hashes.length);
                Memory count = new Memory(4)) {
            values.clear();
            count.setInt(0, hashes.length);
            LibBpf.bpf_map_update_batch(fd, keys, values, count, null); // -E2BIG once full: count says how far
            return count.getInt(0);
        }
    }

    /** Removes hashes in order; returns how many are gone (all, unless the kernel refused one). */
    int remove(long[] hashes) {
        if (hashes.length == 0) {
            return 0;
        }
        try (Memory keys = keys(hashes);
                Memory count = new Memory(4)) {
            count.setInt(0, hashes.length);
            LibBpf.bpf_map_delete_batch(fd, keys, count, null);
            return count.getInt(0);
        }
    }

    private static Memory keys(long[] hashes) {
        Memory m = new Memory(8L * hashes.length);
        m.write(0, hashes, 0, hashes.length);
        return m;
    }
}
