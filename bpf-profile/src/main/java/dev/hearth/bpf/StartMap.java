package dev.hearth.bpf;

import com.sun.jna.Memory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * A map of intervals in progress (offcpu_starts: tid; call_starts: tid and probe), keyed with the
 * thread id first, valued {@code struct start}. An entry whose end is never seen would stay for
 * good: a thread that exits inside a timed call (killed, pthread_exit, longjmp past the return).
 * Each scan removes the entries already present at the previous scan whose thread is gone, so the
 * map holds at most one entry per live thread and probe. (A thread id reused between the check
 * and the delete would lose that new thread's interval; ids are reused only after wrapping.)
 */
final class StartMap implements AutoCloseable {
    interface Stacks {
        void accept(long userHash, long kernelHash);
    }

    private final int fd;
    private final int keySize;
    private final int tidAt;
    private final KernelAbi.Start value;
    private final HashMapReader reader;
    private Set<Long> seenBefore = Set.of();

    /** {@code keySize}: 4 or 8 bytes, the thread id at {@code tidAt}; values are {@code struct start} */
    StartMap(int fd, int keySize, int tidAt, KernelAbi.Start value) {
        this.fd = fd;
        this.keySize = keySize;
        this.tidAt = tidAt;
        this.value = value;
        this.reader = new HashMapReader(fd, keySize, value.size(), 4096);
    }

    /** Visits the stack hashes of every entry; returns how many entries of exited threads it removed. */
    int scan(Stacks visitor) {
        Set<Long> seen = new HashSet<>();
        reader.forEach(false, (k, ka, v, va) -> {
            visitor.accept(v.getLong(va + value.userStack()), v.getLong(va + value.kernelStack()));
            seen.add(keySize == 8 ? k.getLong(ka) : Integer.toUnsignedLong(k.getInt(ka)));
        });
        int removed = 0;
        try (Memory key = new Memory(8)) {
            for (long k : seen) {
                int tid = (int) (k >>> (8 * tidAt)); // the key as read: little-endian
                if (seenBefore.contains(k) && !Files.exists(Path.of("/proc", Integer.toUnsignedString(tid)))) {
                    key.setLong(0, k);
                    if (LibBpf.bpf_map_delete_elem(fd, key) == 0) {
                        removed++;
                    }
                }
            }
        }
        seenBefore = seen;
        return removed;
    }

    @Override
    public void close() {
        reader.close();
    }
}
