package dev.hearth.symbolizer.safefs;

import com.sun.jna.Memory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A regular file opened through a {@link SafeDir} (see there for the rule). Checks, reads, writes
 * and mode changes all go through the fd, so they concern the file that was opened, whatever
 * becomes of its name.
 */
public final class SafeFile extends OpenFd {
    private static final int CHUNK = 64 * 1024;

    SafeFile(int fd, String name) throws IOException {
        super(fd, name);
    }

    /** Refused unless owned by one of {@code uids}. */
    public SafeFile requireOwner(int... uids) throws UnsafeFileException {
        for (int u : uids) if (stat.uid() == u) return this;
        throw new UnsafeFileException(name + ": owned by uid " + stat.uid() + ", expected " + Arrays.toString(uids));
    }

    /** Refused when another name links to the same file (a hard link to something else). */
    public SafeFile requireOneLink() throws UnsafeFileException {
        if (stat.links() != 1) throw new UnsafeFileException(name + ": has " + stat.links() + " links");
        return this;
    }

    /** Refused when larger than {@code max} bytes. */
    public SafeFile requireSizeAtMost(long max) throws UnsafeFileException {
        if (stat.size() > max)
            throw new UnsafeFileException(name + ": " + stat.size() + " bytes, more than the bound of " + max);
        return this;
    }

    /** The whole file from its start; refused when it holds more than {@code max} bytes (it may grow after open). */
    public byte[] readAll(long max) throws IOException {
        ensureOpen();
        ByteArrayOutputStream out =
                new ByteArrayOutputStream((int) Math.min(Math.max(stat.size(), 0), Math.min(max, CHUNK * 16L)));
        try (Memory buf = new Memory(CHUNK)) {
            long offset = 0;
            while (true) {
                long n = Libc.pread(fd, buf, CHUNK, offset);
                if (n < 0) {
                    int errno = Libc.errno();
                    if (errno == Libc.EINTR) continue;
                    throw Libc.error("read", name, errno);
                }
                if (n == 0) return out.toByteArray();
                offset += n;
                if (offset > max) throw new UnsafeFileException(name + ": more than the bound of " + max + " bytes");
                out.write(buf.getByteArray(0, (int) n), 0, (int) n);
            }
        }
    }

    /** A stream over the file from the current position; the caller bounds how much it takes. Closing it does not close the file. */
    public InputStream input() {
        ensureOpen();
        return new InputStream() {
            private final Memory buf = new Memory(CHUNK);

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                ensureOpen();
                if (len == 0) return 0;
                while (true) {
                    long n = Libc.read(fd, buf, Math.min(len, CHUNK));
                    if (n < 0) {
                        int errno = Libc.errno();
                        if (errno == Libc.EINTR) continue;
                        throw Libc.error("read", name, errno);
                    }
                    if (n == 0) return -1;
                    buf.read(0, b, off, (int) n);
                    return (int) n;
                }
            }

            @Override
            public void close() {
                buf.close();
            }
        };
    }

    /** Writes all of {@code bytes} at the current position. */
    public void write(byte[] bytes) throws IOException {
        ensureOpen();
        try (Memory buf = new Memory(Math.max(1, Math.min(bytes.length, CHUNK)))) {
            int at = 0;
            while (at < bytes.length) {
                int len = Math.min(bytes.length - at, CHUNK);
                buf.write(0, bytes, at, len);
                long n = Libc.write(fd, buf, len);
                if (n < 0) {
                    int errno = Libc.errno();
                    if (errno == Libc.EINTR) continue;
                    throw Libc.error("write", name, errno);
                }
                at += (int) n;
            }
        }
    }

    /** Flushes the file's content to its storage. */
    public void sync() throws IOException {
        ensureOpen();
        if (Libc.fsync(fd) != 0) throw Libc.error("fsync", name, Libc.errno());
    }
}
