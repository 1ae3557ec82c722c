package dev.hearth.bpf;

import java.util.List;
import java.util.Optional;

/**
 * Where the kernel-side unwinder gets what it walks by: the executable mappings of a process and
 * the unwind table of a mapped file. Implemented outside this module (the agent reads .eh_frame
 * through the symbolizer); called from the profiler's loader thread only.
 */
public interface UnwindTableSource {
    /**
     * One executable mapping: a pc in [start, end) is file address pc - loadBias of its file's
     * table. {@code fileKey} names the file independent of its path (a build-id, or device and
     * inode): mappings with one key share one table. Empty for memory no file backs (JIT code),
     * which is walked by frame pointer.
     */
    record Mapping(long start, long end, long loadBias, String fileKey, String path) {
        public boolean fileBacked() {
            return !fileKey.isEmpty();
        }
    }

    /** the executable mappings of {@code pid}, ascending; empty when it is gone */
    List<Mapping> executableMappings(int pid);

    /** the table of the file {@code pid} maps at {@code mapping}; empty when it has none */
    Optional<UnwindRows> table(int pid, Mapping mapping);
}
