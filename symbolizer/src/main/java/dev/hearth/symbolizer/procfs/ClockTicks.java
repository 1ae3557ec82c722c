package dev.hearth.symbolizer.procfs;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/** The kernel's USER_HZ, the unit of the tick counts in /proc: asked with sysconf(_SC_CLK_TCK), not assumed to be 100. */
public final class ClockTicks {
    private static final int SC_CLK_TCK = 2; // <bits/confname.h>
    private static final long PER_SECOND;

    static {
        Native.register(ClockTicks.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        long hz = sysconf(SC_CLK_TCK);
        if (hz <= 0) throw new IllegalStateException("sysconf(_SC_CLK_TCK) failed: " + hz);
        PER_SECOND = hz;
    }

    private ClockTicks() {}

    private static native long sysconf(int name);

    public static long perSecond() {
        return PER_SECOND;
    }
}
