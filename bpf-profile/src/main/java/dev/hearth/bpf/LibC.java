package dev.hearth.bpf;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/** The few libc calls with no Java equivalent: raw syscalls, closing fds, formatting va_lists. */
final class LibC {
    static {
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {}

    static final long SYS_PERF_EVENT_OPEN = Platform.isARM() ? 241 : 298;
    static final long SYS_MEMBARRIER = Platform.isARM() ? 283 : 324;

    static native long syscall(long number, long a, long b, long c, long d, long e);

    static native long syscall(long number, Pointer a, long b, long c, long d, long e);

    static native int close(int fd);

    static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(Pointer addr, long length);

    static native int vsnprintf(byte[] buf, long size, Pointer format, Pointer args);

    static native Pointer strerror(int errno);

    static String errorName(int errno) {
        return strerror(Math.abs(errno)).getString(0);
    }
}
