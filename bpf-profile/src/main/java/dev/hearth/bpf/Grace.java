package dev.hearth.bpf;

import com.sun.jna.Native;

/**
 * Waits until every BPF program that may have read the old gen has returned. Tracing, perf-event
 * and uprobe programs run inside RCU read-side sections, and membarrier(MEMBARRIER_CMD_GLOBAL)
 * returns after a full RCU grace period (synchronize_rcu).
 */
final class Grace {
    private static final int MEMBARRIER_CMD_GLOBAL = 1;
    /** used only where membarrier is unavailable (nohz_full kernels): programs run for microseconds */
    private static final long FALLBACK_MS = 100;

    private static volatile boolean warned;

    private Grace() {}

    static void waitForPrograms() {
        if (LibC.syscall(LibC.SYS_MEMBARRIER, MEMBARRIER_CMD_GLOBAL, 0, 0, 0, 0) == 0) {
            return;
        }
        if (!warned) {
            warned = true;
            System.getLogger("dev.hearth.bpf")
                    .log(
                            System.Logger.Level.WARNING,
                            "membarrier(GLOBAL) unavailable (" + LibC.errorName(Native.getLastError())
                                    + "): draining waits " + FALLBACK_MS + " ms instead of an RCU grace period");
        }
        try {
            Thread.sleep(FALLBACK_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
