package dev.hearth.agent;

import dev.hearth.bpf.UnwindRows;
import dev.hearth.bpf.UnwindTableSource;
import dev.hearth.symbolizer.UnwindTableCache;
import dev.hearth.symbolizer.unwind.MappedTable;
import dev.hearth.symbolizer.unwind.UnwindTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel walk's tables, from the symbolizer's .eh_frame tables of the files a process maps.
 * Called from the profiler's loader thread only; the last listing of each process is kept until
 * its tables are asked for.
 */
final class EhFrameUnwindSource implements UnwindTableSource {
    private static final int MAX_LISTINGS = 4096;

    private final UnwindTableCache cache;
    private final Map<Integer, List<MappedTable>> listings = new HashMap<>();

    EhFrameUnwindSource(UnwindTableCache cache) {
        this.cache = cache;
    }

    UnwindTableCache cache() {
        return cache;
    }

    @Override
    public List<Mapping> executableMappings(int pid) {
        List<MappedTable> tables = cache.tables(pid);
        if (tables.isEmpty()) {
            listings.remove(pid);
            return List.of();
        }
        if (listings.size() >= MAX_LISTINGS && !listings.containsKey(pid)) listings.clear();
        listings.put(pid, tables);
        List<Mapping> out = new ArrayList<>(tables.size());
        for (MappedTable t : tables) out.add(new Mapping(t.start(), t.end(), t.loadBias(), t.key(), t.key()));
        return out;
    }

    @Override
    public Optional<UnwindRows> table(int pid, Mapping mapping) {
        for (MappedTable t : listings.getOrDefault(pid, List.of())) {
            if (t.start() == mapping.start() && t.table() instanceof UnwindTable table) {
                return Optional.ofNullable(KernelUnwindRows.of(table));
            }
        }
        return Optional.empty();
    }
}
