package dev.hearth.symbolizer.safefs;

import com.sun.jna.Memory;
import java.io.IOException;

/**
 * What the kernel says about an open file descriptor (statx on the fd, never on a path): type,
 * owner, permission bits, link count, size, identity and modification time.
 */
public record FileStat(
        int mode, int uid, int gid, long links, long size, long device, long inode, long modifiedMillis) {
    private static final int S_IFMT = 0170000,
            S_IFREG = 0100000,
            S_IFDIR = 0040000,
            S_IFIFO = 0010000,
            S_IFLNK = 0120000,
            S_IFSOCK = 0140000,
            S_IFCHR = 0020000,
            S_IFBLK = 0060000;
    private static final int S_ISVTX = 01000;
    private static final int STATX_BASIC_STATS = 0x7ff;

    static FileStat of(int fd, String path) throws IOException {
        try (Memory buf = new Memory(256)) {
            buf.clear();
            if (Libc.statx(fd, "", Libc.AT_EMPTY_PATH, STATX_BASIC_STATS, buf) != 0) {
                throw Libc.error("statx", path, Libc.errno());
            }
            long dev = ((long) buf.getInt(136) << 32) | (buf.getInt(140) & 0xffffffffL);
            long mtime = buf.getLong(112) * 1000 + buf.getInt(120) / 1_000_000;
            return new FileStat(
                    buf.getShort(28) & 0xffff,
                    buf.getInt(20),
                    buf.getInt(24),
                    buf.getInt(16) & 0xffffffffL,
                    buf.getLong(40),
                    dev,
                    buf.getLong(32),
                    mtime);
        }
    }

    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    /** Permission bits only (rwx for user, group, others, and setuid, setgid, sticky). */
    public int permissions() {
        return mode & 07777;
    }

    public boolean sticky() {
        return (mode & S_ISVTX) != 0;
    }

    /** Whether anyone but the owner (group or others) may write it. */
    public boolean writableByOthers() {
        return (mode & 022) != 0;
    }

    /** The file type in words, for messages. */
    public String type() {
        return switch (mode & S_IFMT) {
            case S_IFREG -> "regular file";
            case S_IFDIR -> "directory";
            case S_IFIFO -> "FIFO";
            case S_IFLNK -> "symbolic link";
            case S_IFSOCK -> "socket";
            case S_IFCHR -> "character device";
            case S_IFBLK -> "block device";
            default -> "unknown file type";
        };
    }
}
