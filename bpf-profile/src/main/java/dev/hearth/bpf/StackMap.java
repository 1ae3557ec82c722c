package dev.hearth.bpf;

import com.sun.jna.Memory;

import java.util.Arrays;

/** One STACK_TRACE map: stack id -> up to 127 addresses, leaf first, zero-padded. */
final class StackMap {
    static final int MAX_DEPTH = 127;
    static final long[] NONE = new long[0];

    private final int fd;
    private final Memory id = new Memory(4);
    private final Memory next = new Memory(4);
    private final Memory frames = new Memory(MAX_DEPTH * 8L);

    StackMap(int fd) {
        this.fd = fd;
    }

    /** The addresses of stack {@code stackId}, or an empty array when the id is unknown. */
    long[] lookup(int stackId) {
        if (stackId < 0) {
            return NONE;
        }
        id.setInt(0, stackId);
        if (LibBpf.bpf_map_lookup_elem(fd, id, frames) < 0) {
            return NONE;
        }
        long[] all = frames.getLongArray(0, MAX_DEPTH);
        int n = 0;
        while (n < MAX_DEPTH && all[n] != 0) {
            n++;
        }
        return Arrays.copyOf(all, n);
    }

    /** Deletes every stack. Only called on a set no program writes to. */
    int clear() {
        int deleted = 0;
        boolean more = LibBpf.bpf_map_get_next_key(fd, null, next) == 0;
        while (more) {
            id.setInt(0, next.getInt(0));
            // step past this id before deleting it: get_next_key of a missing id restarts at 0
            more = LibBpf.bpf_map_get_next_key(fd, id, next) == 0;
            if (LibBpf.bpf_map_delete_elem(fd, id) == 0) {
                deleted++;
            }
        }
        return deleted;
    }
}
