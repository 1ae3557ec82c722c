package dev.hearth.bpf;

import com.sun.jna.Pointer;

/**
 * The feature probe of the table walk: the object is loaded with it on, and loaded again with the
 * frame-pointer walk alone if the kernel refuses it (no bpf_loop, a stricter verifier). The switch
 * is a constant fixed before load, so the verifier never sees the code it turns off.
 */
final class UnwindProbe {
    static final String RODATA = ".rodata.unwind";
    /** unwind map sizes when the walk is on (the process and table maps allocate per entry) */
    static final int PROCESSES = 1024;

    static final int TABLES = 4096;
    static final int REQUESTS = 4096;

    private UnwindProbe() {}

    static void configure(ProfileObject po, boolean on) {
        Pointer flag = po.initialValue(RODATA); // holds only `unwind_enabled`
        flag.setInt(0, on ? 1 : 0);
        po.setMaxEntries("unwind_processes", on ? PROCESSES : 1);
        po.setMaxEntries("unwind_tables", on ? TABLES : 1);
        po.setMaxEntries("unwind_requests", on ? REQUESTS : 1);
    }

    static void refused(BpfException why) {
        System.getLogger("dev.hearth.bpf")
                .log(
                        System.Logger.Level.WARNING,
                        "the kernel refused the unwind-table walk of user stacks; walking them by frame pointer (stacks "
                                + "through code built without frame pointers will be cut short): " + why.getMessage());
    }
}
