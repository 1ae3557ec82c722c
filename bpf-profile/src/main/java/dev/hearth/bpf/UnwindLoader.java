package dev.hearth.bpf;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the kernel's unwind maps current, on its own thread: answers the programs' requests (a
 * process not listed yet, a mapping whose table is not loaded, a pc in no known mapping) by
 * listing mappings and loading tables, so only binaries that appear in samples get a table.
 * Tables are shared by every process mapping the same file and stay within a memory budget,
 * evicting the least recently requested; exited processes are forgotten.
 */
final class UnwindLoader implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UnwindLoader.class.getName());
    private static final long POLL_MS = 50;
    private static final long SWEEP_NS = 2_000_000_000L;
    /** a process re-lists its mappings at most this often when its pcs fall outside them */
    private static final long RELIST_NS = 1_000_000_000L;
    /** kernel bookkeeping of an array map besides its rows, roughly */
    private static final long TABLE_OVERHEAD = 4096;
    /** tables built per round at most: a process mapping thousands of files cannot hold the loader */
    private static final int LOADS_PER_ROUND = 8;
    /** files known at most; one beyond is walked by frame pointer */
    private static final int MAX_BINARIES = 65_536;

    private enum State {
        UNBUILT,
        LOADED,
        EVICTED,
        NONE
    }

    /** one mapped file: its table's id (stable across evictions) and where it stands */
    private static final class Binary {
        final int id;
        State state = State.UNBUILT;
        int rows;
        long bytes;
        long lastUse;

        Binary(int id) {
            this.id = id;
        }
    }

    private record Process(List<UnwindTableSource.Mapping> mappings, long listedAt) {}

    private final UnwindTableSource source;
    private final UnwindMaps maps;
    private final long budget;
    private final int maxProcesses;
    private final Map<String, Binary> binaries = new HashMap<>();
    private final Map<Integer, Process> processes = new HashMap<>();
    private final Thread thread;
    private int nextId = 1;
    private long clock;
    private long usedBytes;
    private long evictions;
    private long lastSweep = System.nanoTime();
    private volatile boolean closed;
    private volatile String lastError = "";

    UnwindLoader(UnwindTableSource source, UnwindMaps maps, long budgetBytes, int maxProcesses) {
        this.source = source;
        this.maps = maps;
        this.budget = budgetBytes;
        this.maxProcesses = maxProcesses;
        this.thread = new Thread(this::run, "hearth-unwind-loader");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Lists these processes now, so their first samples find their mappings. */
    synchronized void track(Set<Integer> pids) {
        for (int pid : pids) {
            listProcess(pid);
        }
    }

    synchronized UnwindStats stats() {
        long[] s = maps.stats();
        int tables = (int)
                binaries.values().stream().filter(b -> b.state == State.LOADED).count();
        return new UnwindStats(s[0], s[1], s[2], s[3], s[4], tables, usedBytes, evictions, processes.size());
    }

    /** kernel memory of the loaded tables' rows */
    synchronized long tableBytes() {
        return usedBytes;
    }

    private void run() {
        while (!closed) {
            try {
                step();
            } catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).equals(lastError)) {
                    LOG.log(Level.WARNING, "unwind tables: " + e.getMessage());
                    lastError = String.valueOf(e.getMessage());
                }
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** one round: the requests, and now and then a sweep of exited processes */
    synchronized void step() {
        if (closed) {
            return;
        }
        List<long[]> requests = new ArrayList<>();
        maps.drainRequests((tgid, kind, addr) -> requests.add(new long[] {tgid, kind, addr}));
        int loads = 0;
        for (long[] r : requests) {
            int pid = (int) r[0];
            switch ((int) r[1]) {
                case UnwindMaps.REQUEST_PROCESS -> listProcess(pid);
                case UnwindMaps.REQUEST_TABLE -> {
                    if (loads++ < LOADS_PER_ROUND) {
                        loadTableAt(pid, r[2]); // the rest ask again on their next sample
                    }
                }
                case UnwindMaps.REQUEST_MAPS -> {
                    Process p = processes.get(pid);
                    if (p == null || System.nanoTime() - p.listedAt() > RELIST_NS) {
                        listProcess(pid);
                    }
                }
                default -> {}
            }
        }
        if (System.nanoTime() - lastSweep > SWEEP_NS) {
            sweep();
        }
    }

    private void listProcess(int pid) {
        if (!processes.containsKey(pid) && processes.size() >= maxProcesses) {
            // a full list is swept at most as often as step() sweeps: every sample of a process left out asks again
            if (System.nanoTime() - lastSweep > SWEEP_NS) {
                sweep();
            }
            if (processes.size() >= maxProcesses) {
                return; // its stacks are walked by frame pointer
            }
        }
        List<UnwindTableSource.Mapping> mappings = source.executableMappings(pid);
        if (mappings.isEmpty()) {
            forget(pid);
            return;
        }
        processes.put(pid, new Process(List.copyOf(mappings), System.nanoTime()));
        clock++;
        for (UnwindTableSource.Mapping m : mappings) {
            Binary b = m.fileBacked() ? binary(m.fileKey()) : null;
            if (b != null) {
                b.lastUse = clock;
            }
        }
        publish(pid);
    }

    private void loadTableAt(int pid, long start) {
        Process p = processes.get(pid);
        if (p == null) {
            listProcess(pid);
            return;
        }
        UnwindTableSource.Mapping mapping = null;
        for (UnwindTableSource.Mapping m : p.mappings()) {
            if (m.start() == start && m.fileBacked()) {
                mapping = m;
            }
        }
        if (mapping == null) {
            return;
        }
        Binary b = binary(mapping.fileKey());
        if (b == null) {
            return;
        }
        b.lastUse = ++clock;
        if (b.state == State.LOADED || b.state == State.NONE) {
            publish(pid); // the process's list predates the load
            return;
        }
        Optional<UnwindRows> table;
        try {
            table = source.table(pid, mapping);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "no unwind table for " + mapping.path() + ": " + e.getMessage());
            table = Optional.empty();
        }
        if (table.isEmpty() || table.get().count() == 0) {
            b.state = State.NONE;
            republish(mapping.fileKey());
            return;
        }
        UnwindRows rows = table.get();
        long bytes = rows.bytes() + TABLE_OVERHEAD;
        if (bytes > budget) {
            b.state = State.NONE;
            LOG.log(
                    Level.INFO,
                    "unwind table of " + mapping.path() + " (" + bytes + " bytes) exceeds the budget of " + budget
                            + " bytes: walked by frame pointer");
            republish(mapping.fileKey());
            return;
        }
        makeRoom(bytes, b);
        if (!maps.loadTable(b.id, rows)) {
            return; // the kernel is short of memory: asked again on a later sample
        }
        boolean wasUnbuilt = b.state == State.UNBUILT;
        b.state = State.LOADED;
        b.rows = rows.count();
        b.bytes = bytes;
        usedBytes += bytes;
        if (wasUnbuilt) {
            republish(mapping.fileKey());
        }
    }

    /** the file's entry, new if unknown; null when MAX_BINARIES are known already */
    private Binary binary(String fileKey) {
        Binary b = binaries.get(fileKey);
        if (b == null && binaries.size() < MAX_BINARIES) {
            b = new Binary(nextId++);
            binaries.put(fileKey, b);
        }
        return b;
    }

    /** evicts the least recently requested tables until {@code bytes} more fit the budget */
    private void makeRoom(long bytes, Binary loading) {
        while (usedBytes + bytes > budget) {
            Binary lru = null;
            for (Binary b : binaries.values()) {
                if (b.state == State.LOADED && b != loading && (lru == null || b.lastUse < lru.lastUse)) {
                    lru = b;
                }
            }
            if (lru == null) {
                return;
            }
            maps.evictTable(lru.id);
            lru.state = State.EVICTED;
            usedBytes -= lru.bytes;
            evictions++;
        }
    }

    /** rewrites the lists of every process that maps this file */
    private void republish(String fileKey) {
        for (Map.Entry<Integer, Process> e : processes.entrySet()) {
            if (e.getValue().mappings().stream().anyMatch(m -> m.fileKey().equals(fileKey))) {
                publish(e.getKey());
            }
        }
    }

    private void publish(int pid) {
        Process p = processes.get(pid);
        List<UnwindMaps.Entry> entries = new ArrayList<>();
        for (UnwindTableSource.Mapping m : p.mappings()) {
            Binary b = m.fileBacked() ? binaries.get(m.fileKey()) : null;
            int table;
            long bias = 0;
            int rows = 0;
            if (b == null || b.state == State.NONE) {
                table = UnwindMaps.TABLE_NONE;
            } else if (b.state == State.UNBUILT) {
                table = UnwindMaps.TABLE_UNKNOWN;
            } else {
                table = b.id;
                rows = b.rows;
                bias = m.loadBias();
            }
            entries.add(new UnwindMaps.Entry(m.start(), m.end(), bias, table, rows));
        }
        maps.putProcess(pid, entries);
    }

    private void sweep() {
        lastSweep = System.nanoTime();
        for (Iterator<Integer> it = processes.keySet().iterator(); it.hasNext(); ) {
            int pid = it.next();
            if (!Files.exists(Path.of("/proc", Integer.toString(pid)))) {
                maps.deleteProcess(pid);
                it.remove();
            }
        }
    }

    private void forget(int pid) {
        processes.remove(pid);
        maps.deleteProcess(pid);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            maps.close();
        }
    }
}
