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
     * One executable mapping. {@code fileKey} names the file independent of its path (device and
     * inode) and is empty for memory no file backs (JIT code, the vdso), which is walked by frame
     * pointer.
     */
    record Mapping(long start, long end, long fileOffset, String fileKey, String path) {
        public boolean fileBacked() {
            return !fileKey.isEmpty();
        }
    }

    /**
     * A file's table. {@code vaddrMinusOffset}: file address minus file offset in its executable
     * segment, so that file address = pc - (start - fileOffset - vaddrMinusOffset).
     */
    record Table(UnwindRows rows, long vaddrMinusOffset) {
    }

    /** the executable mappings of {@code pid}, ascending; empty when it is gone */
    List<Mapping> executableMappings(int pid);

    /** the table of the file {@code pid} maps at {@code mapping}; empty when it has none */
    Optional<Table> table(int pid, Mapping mapping);
}
