package dev.hearth.bpf;

import com.sun.jna.Memory;
import java.util.List;

/**
 * The unwinder's maps as user space writes them (layouts in unwind.h): per-process mapping lists,
 * one inner array of rows per table, the programs' requests and their walk statistics.
 */
final class UnwindMaps implements AutoCloseable {
    static final int MAX_MAPPINGS = 256;
    static final int MAPPING_BYTES = 32;
    static final int PROCESS_BYTES = 8 + MAX_MAPPINGS * MAPPING_BYTES;
    static final int TABLE_UNKNOWN = 0;
    static final int TABLE_NONE = -1;
    static final int REQUEST_PROCESS = 0;
    static final int REQUEST_TABLE = 1;
    static final int REQUEST_MAPS = 2;
    private static final int BPF_MAP_TYPE_ARRAY = 2;
    private static final int BPF_F_INNER_MAP = 1 << 12;
    private static final int STATS = 5;
    private static final int ENOENT = 2;

    /** one entry of a process's list: file address = pc - bias */
    record Entry(long start, long end, long bias, int table, int rows) {}

    interface Requests {
        void accept(int tgid, int kind, long addr);
    }

    private final int processesFd;
    private final int tablesFd;
    private final int statsFd;
    private final int possibleCpus;
    private final HashMapReader requests;
    private final Memory processValue = new Memory(PROCESS_BYTES);
    private final Memory key = new Memory(8);

    UnwindMaps(ProfileObject object, int possibleCpus) {
        this.processesFd = object.mapFd("unwind_processes");
        this.tablesFd = object.mapFd("unwind_tables");
        this.statsFd = object.mapFd("unwind_stats");
        this.possibleCpus = possibleCpus;
        this.requests = new HashMapReader(object.mapFd("unwind_requests"), 16, 1, 1024);
    }

    /** Replaces the mapping list of {@code tgid}; entries sorted by start, at most MAX_MAPPINGS. */
    void putProcess(int tgid, List<Entry> entries) {
        processValue.clear();
        int n = Math.min(entries.size(), MAX_MAPPINGS);
        processValue.setInt(0, n);
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            long at = 8 + (long) i * MAPPING_BYTES;
            processValue.setLong(at, e.start());
            processValue.setLong(at + 8, e.end());
            processValue.setLong(at + 16, e.bias());
            processValue.setInt(at + 24, e.table());
            processValue.setInt(at + 28, e.rows());
        }
        key.setInt(0, tgid);
        int err = LibBpf.bpf_map_update_elem(processesFd, key, processValue, 0);
        if (err < 0) {
            throw new BpfException("cannot store the mappings of pid " + tgid + ": " + LibC.errorName(-err));
        }
    }

    void deleteProcess(int tgid) {
        key.setInt(0, tgid);
        LibBpf.bpf_map_delete_elem(processesFd, key);
    }

    /** Puts a table's rows into the kernel under {@code id}; false when the kernel has no memory for them. */
    boolean loadTable(int id, UnwindRows rows) {
        int fd;
        try (Memory opts = new Memory(48)) {
            opts.clear();
            opts.setLong(0, 48);
            opts.setInt(28, BPF_F_INNER_MAP);
            fd = LibBpf.bpf_map_create(
                    BPF_MAP_TYPE_ARRAY, "hearth_unwind", 4, UnwindRows.ROW_BYTES, rows.count(), opts);
        }
        if (fd < 0) {
            if (fd == -12) {
                return false;
            }
            throw new BpfException("cannot create an unwind table map: " + LibC.errorName(-fd));
        }
        try (Memory keys = new Memory(4L * rows.count());
                Memory values = new Memory(rows.bytes());
                Memory count = new Memory(4);
                Memory outer = new Memory(4);
                Memory inner = new Memory(4)) {
            for (int i = 0; i < rows.count(); i++) {
                keys.setInt(4L * i, i);
            }
            values.write(0, rows.encoded(), 0, rows.encoded().length);
            count.setInt(0, rows.count());
            int err = LibBpf.bpf_map_update_batch(fd, keys, values, count, null);
            if (err < 0) {
                throw new BpfException("cannot fill an unwind table: " + LibC.errorName(-err));
            }
            outer.setInt(0, id);
            inner.setInt(0, fd);
            err = LibBpf.bpf_map_update_elem(tablesFd, outer, inner, 0);
            if (err == -12 || err == -7) { // ENOMEM, E2BIG: the outer map is full
                return false;
            }
            if (err < 0) {
                throw new BpfException("cannot publish an unwind table: " + LibC.errorName(-err));
            }
            return true;
        } finally {
            LibC.close(fd); // the outer map holds the table now
        }
    }

    void evictTable(int id) {
        key.setInt(0, id);
        LibBpf.bpf_map_delete_elem(tablesFd, key);
    }

    /** Hands over and removes the programs' requests. */
    void drainRequests(Requests visitor) {
        requests.forEach(true, (k, ka, v, va) -> visitor.accept(k.getInt(ka), k.getInt(ka + 4), k.getLong(ka + 8)));
    }

    /** walks per outcome (enum unwind_stat), summed over CPUs */
    long[] stats() {
        long[] out = new long[STATS];
        try (Memory k = new Memory(4);
                Memory values = new Memory(8L * possibleCpus)) {
            for (int i = 0; i < STATS; i++) {
                k.setInt(0, i);
                int err = LibBpf.bpf_map_lookup_elem(statsFd, k, values);
                if (err == 0) {
                    for (long v : values.getLongArray(0, possibleCpus)) {
                        out[i] += v;
                    }
                } else if (err != -ENOENT) {
                    throw new BpfException("cannot read unwind statistics: " + LibC.errorName(-err));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        requests.close();
        processValue.close();
        key.close();
    }
}
