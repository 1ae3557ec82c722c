package dev.hearth.symbolizer.safefs;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** The fd-relative libc calls Java has no equivalent for, and the open flags of this architecture. */
final class Libc {
    static {
        Native.register(Libc.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private Libc() {}

    static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2;
    static final int O_CREAT = 0100, O_EXCL = 0200, O_NONBLOCK = 04000, O_CLOEXEC = 02000000, O_PATH = 010000000;
    static final int O_DIRECTORY = Platform.isARM() ? 040000 : 0200000;
    static final int O_NOFOLLOW = Platform.isARM() ? 0100000 : 0400000;
    static final int AT_FDCWD = -100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;
    static final int ENOENT = 2,
            EACCES = 13,
            EEXIST = 17,
            ENOTDIR = 20,
            EXDEV = 18,
            ENOSYS = 38,
            ELOOP = 40,
            E2BIG = 7,
            EINVAL = 22,
            EPERM = 1,
            EINTR = 4,
            EAGAIN = 11;

    /** openat2(2), the same number on every architecture; no libc wrapper on older glibc. */
    static final long SYS_OPENAT2 = 437;

    static final long RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04;

    static native int openat(int dirfd, String path, int flags, int mode);

    static native long syscall(long number, long a, String b, Pointer c, long d);

    static native int statx(int dirfd, String path, int flags, int mask, Pointer buf);

    static native int mkdirat(int dirfd, String path, int mode);

    static native int unlinkat(int dirfd, String path, int flags);

    static native int renameat(int olddirfd, String oldpath, int newdirfd, String newpath);

    static native int fchmod(int fd, int mode);

    static native int fchown(int fd, int uid, int gid);

    static native long read(int fd, Pointer buf, long count);

    static native long pread(int fd, Pointer buf, long count, long offset);

    static native long write(int fd, Pointer buf, long count);

    static native int fsync(int fd);

    static native int close(int fd);

    static native int geteuid();

    static native Pointer strerror(int errno);

    static int errno() {
        return Native.getLastError();
    }

    /** The IOException for a failed call, typed like java.nio's where one fits. */
    static IOException error(String what, String path, int errno) {
        String reason = strerror(errno).getString(0);
        return switch (errno) {
            case ENOENT -> new NoSuchFileException(path, null, what + ": " + reason);
            case EEXIST -> new FileAlreadyExistsException(path, null, what + ": " + reason);
            case EACCES, EPERM -> new AccessDeniedException(path, null, what + ": " + reason);
            case ELOOP -> new UnsafeFileException(path + ": " + what + ": a symbolic link");
            case ENOTDIR -> new UnsafeFileException(path + ": " + what + ": not a directory (a link or a file)");
            case EXDEV -> new UnsafeFileException(path + ": " + what + ": crosses a mount point");
            default -> new IOException(path + ": " + what + ": " + reason);
        };
    }

    /** Whether openat2 with RESOLVE_* works here (Linux 5.6+, and not refused by a seccomp filter). */
    static final boolean HAS_OPENAT2 = probeOpenat2();

    private static boolean probeOpenat2() {
        try (Memory how = new Memory(24)) {
            how.clear();
            how.setLong(0, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            how.setLong(16, RESOLVE_NO_SYMLINKS);
            long fd = syscall(SYS_OPENAT2, AT_FDCWD, "/", how, 24);
            if (fd >= 0) {
                close((int) fd);
                return true;
            }
            return false;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** openat2 with resolve flags; -1 with errno set when it fails. */
    static int openat2(int dirfd, String path, int flags, int mode, long resolve) {
        try (Memory how = new Memory(24)) {
            how.setLong(0, flags & 0xffffffffL);
            how.setLong(8, mode);
            how.setLong(16, resolve);
            return (int) syscall(SYS_OPENAT2, dirfd, path, how, 24);
        }
    }
}
