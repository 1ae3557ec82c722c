package dev.hearth.symbolizer.safefs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What {@link SafeDir} and {@link SafeFile} share: an fd opened without following a link, what
 * fstat said of it then, and changes made through the fd, never through a path.
 */
abstract sealed class OpenFd implements AutoCloseable permits SafeDir, SafeFile {
    final int fd;
    final String name;
    final FileStat stat;
    private boolean closed;

    /** Takes {@code fd}, closing it if fstat fails. */
    OpenFd(int fd, String name) throws IOException {
        this.fd = fd;
        this.name = name;
        try {
            this.stat = FileStat.of(fd, name);
        } catch (IOException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** fstat at the time it was opened. */
    public FileStat stat() {
        return stat;
    }

    /** fstat now (after a write, a chmod or a chown). */
    public FileStat restat() throws IOException {
        ensureOpen();
        return FileStat.of(fd, name);
    }

    /** The name it was reached by, for messages. */
    public String name() {
        return name;
    }

    /** A path the kernel resolves to this very file or directory (for APIs that only take paths); valid while open. */
    public Path path() {
        return Path.of("/proc/self/fd/" + fd);
    }

    /** chmod through the fd. */
    public void chmod(int mode) throws IOException {
        ensureOpen();
        if (Libc.fchmod(fd, mode) != 0) throw Libc.error("chmod", name, Libc.errno());
    }

    /** chown through the fd. */
    public void chown(int uid, int gid) throws IOException {
        ensureOpen();
        if (Libc.fchown(fd, uid, gid) != 0) throw Libc.error("chown", name, Libc.errno());
    }

    final void ensureOpen() {
        if (closed) throw new IllegalStateException(name + ": closed");
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }
}
