package dev.hearth.agent.jvm;

import dev.hearth.agent.proc.ProcessStatus;
import dev.hearth.symbolizer.safefs.FileStat;
import dev.hearth.symbolizer.safefs.SafeDir;
import dev.hearth.symbolizer.safefs.SafeFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The agent's one way into a HotSpot JVM: the attach protocol jcmd and the JDK's Attach API speak,
 * used for diagnostic commands (the perf map) and for loading async-profiler. The JVM is always
 * reached through {@code /proc/PID/root/tmp}, so a JVM in a container or with a private /tmp
 * (systemd PrivateTmp) is found like any other; its pid there is its NSpid.
 *
 * <p>Nothing in that /tmp is trusted: it is opened without following links; the trigger file
 * {@code .attach_pidN} is created exclusively and removed only if it is still ours; the socket must
 * be a socket owned by the JVM's user with no access for anyone else (as the JDK checks), and the
 * process that listens on it must run as that user too. SIGQUIT, which makes HotSpot start its
 * listener, goes only to a process that catches it, through a pidfd, so a pid reused meanwhile is
 * never hit. Replies are bounded in size and time.
 */
public final class HotSpotAttach {
    private static final Path PROC = Path.of("/proc");
    private static final int MAX_REPLY_BYTES = 1 << 20;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final long POLL_MILLIS = 20;

    private HotSpotAttach() {}

    /** Agent_OnAttach of a loaded library returned non-zero: the library ran and refused. */
    public static final class AgentRefusedException extends IOException {
        private final int returnCode;

        AgentRefusedException(int pid, int returnCode) {
            super("Agent_OnAttach in JVM " + pid + " returned " + returnCode);
            this.returnCode = returnCode;
        }

        public int returnCode() {
            return returnCode;
        }
    }

    /** Runs a diagnostic command (as {@code jcmd PID COMMAND} does) and returns its output. */
    public static String jcmd(int pid, String command, long timeoutMillis) throws IOException {
        AttachProtocol.Reply r = execute(pid, timeoutMillis, "jcmd", command);
        if (r.status() != 0) {
            throw new IOException("JVM " + pid + " refused '" + command + "' (" + r.status() + "): "
                    + AttachProtocol.abbreviate(r.body().strip()));
        }
        return r.body();
    }

    /**
     * Loads the native agent at {@code library} (an absolute path in the JVM's own namespace) and runs
     * its Agent_OnAttach with {@code options}; {@link AgentRefusedException} when that returns non-zero.
     */
    public static void load(int pid, String library, String options, long timeoutMillis) throws IOException {
        AttachProtocol.Reply r = execute(pid, timeoutMillis, "load", library, "true", options);
        if (r.status() != 0) {
            throw new IOException("JVM " + pid + " did not load " + library + " (" + r.status() + "): "
                    + AttachProtocol.abbreviate(r.body().strip()));
        }
        int rc = AttachProtocol.loadResult(r.body());
        if (rc != 0) throw new AgentRefusedException(pid, rc);
    }

    private static AttachProtocol.Reply execute(int pid, long timeoutMillis, String command, String... args)
            throws IOException {
        byte[] request = AttachProtocol.request(command, args);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        ProcessStatus jvm = ProcessStatus.read(PROC, pid);
        String socket = ".java_pid" + jvm.nsPid();
        try (SafeDir root = SafeDir.processRoot(pid);
                SafeDir tmp = root.dir("tmp")) {
            FileStat s = tmp.statEntry(socket);
            boolean rootsOrJvms =
                    s != null && (s.uid() == 0 || s.uid() == jvm.euid()); // never so much as connect to anyone else's
            if (rootsOrJvms
                    && (s.mode() & S_IFMT) == S_IFSOCK
                    && nobodyListens(tmp.path().resolve(socket))) {
                // left by a JVM that died with this pid (pids wrap): root's own leftover only root can have
                // put there, so it goes; one of the JVM's user HotSpot replaces itself, so wait for a new one
                if (s.uid() == 0) {
                    tmp.delete(socket);
                    s = startListener(jvm, tmp, socket, deadline, null);
                } else if (s.uid() == jvm.euid()) {
                    s = startListener(jvm, tmp, socket, deadline, s);
                }
            } else if (s == null) {
                s = startListener(jvm, tmp, socket, deadline, null);
            }
            checkSocket(jvm, s);
            Path path = tmp.path().resolve(socket);
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(path));
                checkPeer(jvm, ch, path);
                ch.write(ByteBuffer.wrap(request));
                return AttachProtocol.reply(readReply(ch, pid, deadline));
            }
        }
    }

    /** The JDK's check (a socket of the JVM's user, no access for others), then that it is still what we judged. */
    private static void checkSocket(ProcessStatus jvm, FileStat s) throws IOException {
        if ((s.mode() & S_IFMT) != S_IFSOCK)
            throw new IOException("JVM " + jvm.pid() + ": its attach socket is a " + s.type());
        if (s.uid() != jvm.euid()) {
            throw new IOException("JVM " + jvm.pid() + ": its attach socket belongs to uid " + s.uid()
                    + ", not to the JVM's " + jvm.euid());
        }
        if ((s.permissions() & 077) != 0) {
            throw new IOException("JVM " + jvm.pid() + ": its attach socket is open to others ("
                    + Integer.toOctalString(s.permissions()) + ")");
        }
    }

    /** The listening process runs as the JVM's user (SO_PEERCRED), whatever happened to the name since it was checked. */
    private static void checkPeer(ProcessStatus jvm, SocketChannel ch, Path path) throws IOException {
        UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
        if ((int) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) != jvm.euid()
                || !peer.user().equals(owner)) {
            throw new IOException("JVM " + jvm.pid() + ": the process on its attach socket runs as "
                    + peer.user().getName() + ", not as the JVM's user");
        }
    }

    /** A socket file whose listener is gone: connecting is refused. */
    private static boolean nobodyListens(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return false;
        } catch (java.net.ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Signals the JVM to start its listener and waits for its socket (another than {@code stale}, when given). */
    private static FileStat startListener(ProcessStatus jvm, SafeDir tmp, String socket, long deadline, FileStat stale)
            throws IOException {
        if (!jvm.catchesSigquit()) {
            throw new IOException("process " + jvm.pid()
                    + " does not catch SIGQUIT (attach disabled with -Xrs, or not a HotSpot JVM)");
        }
        String trigger = ".attach_pid" + jvm.nsPid();
        FileStat ours = null;
        try (SafeFile f = tmp.createFile(trigger, 0600)) {
            ours = f.stat();
        } catch (FileAlreadyExistsException e) {
            // another attach under way (jcmd), or planted: HotSpot accepts only a root's or its own user's
        }
        try {
            Signals.send(PROC, jvm.pid(), jvm.startTicks(), Signals.SIGQUIT);
            long half = System.nanoTime() + (deadline - System.nanoTime()) / 2;
            boolean resent = false;
            for (; ; ) {
                FileStat s = tmp.statEntry(socket);
                if (s != null && (stale == null || s.device() != stale.device() || s.inode() != stale.inode()))
                    return s;
                long now = System.nanoTime();
                if (now > deadline)
                    throw new IOException("JVM " + jvm.pid() + " did not start its attach listener (attach disabled?)");
                if (!resent && now > half) {
                    // as the JDK does: a signal that arrived while the JVM was still starting up is lost
                    resent = true;
                    Signals.send(PROC, jvm.pid(), jvm.startTicks(), Signals.SIGQUIT);
                }
                sleep(POLL_MILLIS);
            }
        } finally {
            if (ours != null) {
                FileStat now = tmp.statEntry(trigger);
                if (now != null && now.device() == ours.device() && now.inode() == ours.inode()) tmp.delete(trigger);
            }
        }
    }

    private static byte[] readReply(SocketChannel ch, int pid, long deadline) throws IOException {
        ch.configureBlocking(false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        try (Selector selector = Selector.open()) {
            ch.register(selector, SelectionKey.OP_READ);
            for (; ; ) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) throw new IOException("JVM " + pid + " did not answer in time");
                selector.select(left);
                selector.selectedKeys().clear();
                int n = ch.read(buf);
                if (n < 0) return out.toByteArray();
                out.write(buf.array(), 0, buf.position());
                buf.clear();
                if (out.size() > MAX_REPLY_BYTES)
                    throw new IOException("JVM " + pid + ": attach reply over " + MAX_REPLY_BYTES + " bytes");
            }
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while attaching", e);
        }
    }
}
