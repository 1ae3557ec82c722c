package dev.hearth.symbolizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs a diagnostic command in a HotSpot JVM through its attach mechanism, the protocol jcmd speaks:
 * create {@code .attach_pidN} in the JVM's /tmp, send SIGQUIT, wait for the {@code .java_pidN}
 * socket, send the command. Works across containers (the JVM's own /tmp and pid, through
 * /proc/PID/root and NSpid) and, as root, against JVMs of other users. Refuses to signal a process
 * that does not catch SIGQUIT (-Xrs or not a JVM), where the signal would kill it.
 */
final class HotSpotAttach {
    private static final long SIGQUIT_MASK = 1L << (3 - 1);

    private HotSpotAttach() {}

    /** The command's output; IOException when the JVM cannot be attached or the command fails. */
    static String jcmd(Path proc, int pid, String command, long timeoutMillis) throws IOException {
        Path pidDir = proc.resolve(Integer.toString(pid));
        int nsPid = ProcStatus.nsPid(pidDir);
        Path tmp = Path.of(pidDir.resolve("root") + "/tmp");
        Path socket = tmp.resolve(".java_pid" + nsPid);
        if (!Files.exists(socket)) startAttachListener(pidDir, pid, tmp, nsPid, socket, timeoutMillis);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            // protocol 1: version, command, three arguments, each NUL-terminated
            String request = "1\0jcmd\0" + command + "\0\0\0";
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) > 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            String reply = out.toString(StandardCharsets.UTF_8);
            int nl = reply.indexOf('\n');
            String status = (nl < 0 ? reply : reply.substring(0, nl)).strip();
            String body = nl < 0 ? "" : reply.substring(nl + 1);
            if (!status.equals("0")) throw new IOException("JVM " + pid + " refused '" + command + "' (" + status + "): " + body.strip());
            return body;
        }
    }

    private static void startAttachListener(Path pidDir, int pid, Path tmp, int nsPid, Path socket, long timeoutMillis) throws IOException {
        if ((ProcStatus.caughtSignals(pidDir) & SIGQUIT_MASK) == 0) {
            throw new IOException("process " + pid + " does not catch SIGQUIT (attach disabled with -Xrs, or not a HotSpot JVM)");
        }
        Path trigger = tmp.resolve(".attach_pid" + nsPid);
        Files.deleteIfExists(trigger);
        Files.createFile(trigger);
        try {
            signalQuit(pid);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (!Files.exists(socket)) {
                if (System.nanoTime() > deadline) throw new IOException("JVM " + pid + " did not start its attach listener (attach disabled?)");
                sleep(20);
            }
        } finally {
            Files.deleteIfExists(trigger);
        }
    }

    /** Java cannot send signals itself; kill(1) is everywhere. */
    private static void signalQuit(int pid) throws IOException {
        Process p = new ProcessBuilder("kill", "-QUIT", Integer.toString(pid)).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("could not signal process " + pid);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling " + pid, e);
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
