package dev.hearth.symbolizer.safefs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An open directory, reached without following a symbolic link, for root working in folders that
 * less privileged users can write.
 *
 * <p><b>The rule.</b> The agent runs as root; the processes it profiles, and their users, do not.
 * Whoever can write a directory can put a symbolic link, a hard link, a FIFO or a huge file in it,
 * and can rename or replace any name in it between the moment root checks a path and the moment
 * root uses it. So root never opens, follows, writes, chmods or deletes through a path component a
 * less privileged user can write, and never trusts what such a file says without bounds:
 * <ul>
 *   <li>A walk starts from a trusted directory: "/" or a process's {@code /proc/PID/root} (a kernel
 *       magic link to the process's own root, which keeps containers and private mounts
 *       reachable; it is the only link ever followed). Every further component is opened relative
 *       to the directory fd before it, one name at a time, with O_NOFOLLOW (openat2 with
 *       RESOLVE_NO_SYMLINKS, and RESOLVE_NO_XDEV for files, where the kernel has it: a file
 *       bind-mounted over a name is refused too). Names are single components: no "/", ".", "..".</li>
 *   <li>What was opened is judged by fstat of the fd, never by a second look-up of the path: file
 *       type, owner, permission bits, link count, size. A folder root must rely on (library
 *       placement) is owned by root or the process's own user, and writable by nobody else; a
 *       world-writable parent is allowed only with the sticky bit, where others cannot rename
 *       what root put there.</li>
 *   <li>Files are opened with O_NONBLOCK, so a FIFO or device never blocks the open, and anything
 *       but a regular file is refused before a byte is read. Reads are bounded in bytes and line
 *       length by the caller ({@link SafeFile#readAll}, {@link BoundedLines}).</li>
 *   <li>Root creates only fresh names: folders with {@code mkdirat} (unpredictable names where
 *       others share the parent), files with O_CREAT|O_EXCL|O_NOFOLLOW, so nothing planted is ever
 *       reused by accident. Modes and owners are set with fchmod/fchown on the fd, never on a path.</li>
 *   <li>Deletion is {@code unlinkat} of one name in a verified directory fd: a symbolic link is
 *       removed itself, never what it points to.</li>
 * </ul>
 * APIs that want a path (the JFR parser, memory-mapping an ELF file) get {@link #path()} or
 * {@link SafeFile#path()}: {@code /proc/self/fd/N}, which the kernel resolves to the very file
 * already opened, whatever happens to its name meanwhile.
 */
public final class SafeDir extends OpenFd {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int DIR_FLAGS = Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC;
    private static final int MAX_DELETE_DEPTH = 8;

    private SafeDir(int fd, String name) throws IOException {
        super(fd, name);
    }

    /** A trusted starting point, such as "/" or "/proc/PID/root": the only path whose links are followed. */
    public static SafeDir openTrusted(Path trusted) throws IOException {
        String p = trusted.toString();
        int fd = Libc.openat(Libc.AT_FDCWD, p, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (fd < 0) throw Libc.error("open", p, Libc.errno());
        return new SafeDir(fd, p);
    }

    /**
     * A file at a trusted path (a kernel link such as /proc/PID/map_files/A-B, which names the very
     * file a process mapped), with the same O_NONBLOCK open and regular-file check as {@link #openFile}.
     */
    public static SafeFile openTrustedFile(Path trusted) throws IOException {
        String p = trusted.toString();
        int fd = Libc.openat(Libc.AT_FDCWD, p, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        if (fd < 0) throw Libc.error("open", p, Libc.errno());
        return regularOnly(new SafeFile(fd, p));
    }

    private static SafeFile regularOnly(SafeFile file) throws UnsafeFileException {
        if (!file.stat().isRegularFile()) {
            file.close();
            throw new UnsafeFileException(file.name() + ": a " + file.stat().type() + ", not a regular file");
        }
        return file;
    }

    /** The root directory of process {@code pid} as its mount namespace sees it. */
    public static SafeDir processRoot(int pid) throws IOException {
        return openTrusted(Path.of("/proc", Integer.toString(pid), "root"));
    }

    /**
     * The directory at {@code relative} ("a/b/c"), every component opened with no link followed.
     * The components' owners are not checked: fit for reading what bounds and owner checks protect.
     */
    public SafeDir dir(String relative) throws IOException {
        return walk(relative, null);
    }

    /**
     * The directory at {@code relative}, checked at every step including this one: owned by one of
     * {@code owners} and writable by no one else, except that a world-writable parent with the
     * sticky bit (like /tmp) is accepted. Fit for placing what another process will load.
     */
    public SafeDir trustedDir(String relative, int... owners) throws IOException {
        requireTrusted(this, owners, !relative.isEmpty());
        return walk(relative, owners, false);
    }

    /**
     * Like {@link #trustedDir}, but the last folder may be writable by others if it has the sticky
     * bit (like /tmp): fit as the parent of a folder of our own, never for files directly.
     */
    public SafeDir stickyDir(String relative, int... owners) throws IOException {
        requireTrusted(this, owners, true);
        return walk(relative, owners, true);
    }

    private SafeDir walk(String relative, int[] owners) throws IOException {
        return walk(relative, owners, false);
    }

    private SafeDir walk(String relative, int[] owners, boolean lastSticky) throws IOException {
        String[] parts = relative.isEmpty() ? new String[0] : relative.split("/", -1);
        SafeDir at = this;
        try {
            for (int i = 0; i < parts.length; i++) {
                SafeDir next = at.openDir(parts[i]);
                if (at != this) at.close();
                at = next;
                if (owners != null) requireTrusted(at, owners, lastSticky || i < parts.length - 1);
            }
            return at == this ? at.openDir(".") : at;
        } catch (IOException | RuntimeException e) {
            if (at != this) at.close();
            throw e;
        }
    }

    private static void requireTrusted(SafeDir d, int[] owners, boolean parent) throws UnsafeFileException {
        FileStat s = d.stat;
        if (!s.isDirectory()) throw new UnsafeFileException(d.name + ": a " + s.type() + ", not a directory");
        if (!contains(owners, s.uid())) throw new UnsafeFileException(d.name + ": owned by uid " + s.uid());
        if (s.writableByOthers() && !(parent && s.sticky())) {
            throw new UnsafeFileException(
                    d.name + ": writable by others (mode " + Integer.toOctalString(s.permissions()) + ")");
        }
    }

    private static boolean contains(int[] owners, int uid) {
        for (int o : owners) if (o == uid) return true;
        return false;
    }

    private SafeDir openDir(String component) throws IOException {
        if (!component.equals(".")) checkName(component);
        String full = name + "/" + component;
        int child = open(component, DIR_FLAGS, 0, false);
        if (child < 0) throw Libc.error("open directory", full, Libc.errno());
        return new SafeDir(child, full);
    }

    private int open(String component, int flags, int mode, boolean noXdev) {
        ensureOpen();
        if (Libc.HAS_OPENAT2) {
            long resolve = Libc.RESOLVE_NO_SYMLINKS | Libc.RESOLVE_NO_MAGICLINKS | (noXdev ? Libc.RESOLVE_NO_XDEV : 0);
            return Libc.openat2(fd, component, flags, mode, resolve);
        }
        return Libc.openat(fd, component, flags, mode);
    }

    /**
     * Opens file {@code name} here for reading: no link followed, O_NONBLOCK (a FIFO never blocks),
     * refused unless a regular file. Owner, links and size are the caller's to check on the result.
     */
    public SafeFile openFile(String name) throws IOException {
        checkName(name);
        String full = this.name + "/" + name;
        int f = open(name, Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0, true);
        if (f < 0) throw Libc.error("open", full, Libc.errno());
        return regularOnly(new SafeFile(f, full));
    }

    /** Creates file {@code name} here, which must not exist yet (not even as a dangling link), open for reading and writing. */
    public SafeFile createFile(String name, int mode) throws IOException {
        checkName(name);
        String full = this.name + "/" + name;
        int f = open(name, Libc.O_RDWR | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, mode, true);
        if (f < 0) throw Libc.error("create", full, Libc.errno());
        return new SafeFile(f, full);
    }

    /** Creates folder {@code name} here (it must not exist) and opens it; it is checked to be the one we made. */
    public SafeDir createDir(String name, int mode) throws IOException {
        checkName(name);
        ensureOpen();
        String full = this.name + "/" + name;
        if (Libc.mkdirat(fd, name, mode) != 0) throw Libc.error("mkdir", full, Libc.errno());
        SafeDir d = openDir(name);
        // Someone who can write here could have swapped it between mkdir and open.
        if (d.stat.uid() != Libc.geteuid() || (d.stat.permissions() & ~mode) != 0) {
            d.close();
            throw new UnsafeFileException(full + ": replaced right after it was made");
        }
        return d;
    }

    /**
     * Creates a folder with a fresh, unpredictable name ({@code prefix} and 16 random hex digits)
     * here, and opens it. Mode is set exactly with fchmod (the umask does not apply).
     */
    public SafeDir createFreshDir(String prefix, int mode) throws IOException {
        for (int attempt = 0; ; attempt++) {
            byte[] r = new byte[8];
            RANDOM.nextBytes(r);
            try {
                SafeDir d = createDir(prefix + HexFormat.of().formatHex(r), 0700);
                try {
                    d.chmod(mode);
                } catch (IOException e) {
                    d.close();
                    throw e;
                }
                return d;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 3) throw e;
            }
        }
    }

    /** The names in this directory (not "." or ".."), read through the fd. */
    public List<String> list() throws IOException {
        ensureOpen();
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(path())) {
            for (Path p : s) out.add(p.getFileName().toString());
        }
        return out;
    }

    /** fstat of {@code name} without following it, or null when it does not exist. */
    public FileStat statEntry(String name) throws IOException {
        checkName(name);
        String full = this.name + "/" + name;
        // O_PATH|O_NOFOLLOW opens even a link or a FIFO without touching it
        int f = Libc.openat(fd, name, Libc.O_PATH | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
        if (f < 0) {
            int errno = Libc.errno();
            if (errno == Libc.ENOENT) return null;
            throw Libc.error("open", full, errno);
        }
        try {
            return FileStat.of(f, full);
        } finally {
            Libc.close(f);
        }
    }

    /** Removes the name {@code name} from this directory; a link is removed itself, never its target. */
    public void delete(String name) throws IOException {
        checkName(name);
        ensureOpen();
        if (Libc.unlinkat(fd, name, 0) != 0) throw Libc.error("unlink", this.name + "/" + name, Libc.errno());
    }

    /** Removes the empty folder {@code name}. */
    public void deleteDir(String name) throws IOException {
        checkName(name);
        ensureOpen();
        if (Libc.unlinkat(fd, name, Libc.AT_REMOVEDIR) != 0)
            throw Libc.error("rmdir", this.name + "/" + name, Libc.errno());
    }

    /**
     * Removes folder {@code name} and what is in it, never leaving it through a link (links are
     * removed themselves) and going at most a few levels deep. A missing folder is not an error.
     */
    public void deleteTree(String name) throws IOException {
        deleteTree(name, 0);
    }

    private void deleteTree(String name, int depth) throws IOException {
        SafeDir d;
        try {
            d = openDir(name);
        } catch (NoSuchFileException e) {
            return;
        }
        try (d) {
            for (String child : d.list()) {
                FileStat s = d.statEntry(child);
                if (s == null) continue;
                if (s.isDirectory()) {
                    if (depth >= MAX_DELETE_DEPTH) throw new IOException(d.name + ": nested too deep to delete");
                    d.deleteTree(child, depth + 1);
                } else {
                    d.delete(child);
                }
            }
        }
        deleteDir(name);
    }

    /** Renames {@code from} to {@code to} inside this directory, replacing {@code to}. */
    public void rename(String from, String to) throws IOException {
        checkName(from);
        checkName(to);
        ensureOpen();
        if (Libc.renameat(fd, from, fd, to) != 0)
            throw Libc.error("rename to " + to, this.name + "/" + from, Libc.errno());
    }

    /** A single path component: not empty, no "/", no NUL, not "." or "..". */
    static void checkName(String n) throws UnsafeFileException {
        if (n.isEmpty() || n.equals(".") || n.equals("..") || n.indexOf('/') >= 0 || n.indexOf('\0') >= 0) {
            throw new UnsafeFileException("not a single file name: \"" + n + "\"");
        }
    }
}
