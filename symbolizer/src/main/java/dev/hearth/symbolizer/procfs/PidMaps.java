package dev.hearth.symbolizer.procfs;

import java.io.IOException;
import java.nio.file.Path;

/** /proc/PID/maps read within a bound: its length is the process's to choose (mappings, path names). */
public final class PidMaps {
    /**
     * Bytes of maps read: 65,530 mappings (the kernel's default vm.max_map_count) of ordinary paths
     * fit; a process that maps files under 4 KiB paths to grow its maps can make them longer.
     */
    public static final int MAX_BYTES = 16 << 20;

    private PidMaps() {}

    /** Whether the process maps HotSpot's libjvm.so; maps past {@link #MAX_BYTES} are an IOException. */
    public static boolean mapsLibjvm(Path pidDir) throws IOException {
        return KernelFile.read(pidDir.resolve("maps"), MAX_BYTES).contains("/libjvm.so");
    }
}
