package dev.hearth.agent;

import dev.hearth.agent.proc.ProcessStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One agent per host: an exclusive lock on {@link RunDir#LOCK}, held for the agent's life and let go
 * by the kernel when it dies, however it dies. The file says who holds it (pid and start time), so a
 * second agent can name the first, and anyone can tell whether that agent still runs.
 */
public final class HostLock implements AutoCloseable {
    private static final Path PROC = Path.of("/proc");
    private static final int MAX_CONTENT = 64;

    /** The agent holding the lock: its pid and the start time that tells it apart from a reused pid. */
    public record Holder(int pid, long startTicks) {
        public static Holder self() throws IOException {
            int pid = (int) ProcessHandle.current().pid();
            return new Holder(pid, ProcessStatus.read(PROC, pid).startTicks());
        }

        public boolean alive() {
            return ProcessStatus.alive(PROC, pid, startTicks);
        }

        public String line() {
            return pid + " " + startTicks + "\n";
        }

        public static Optional<Holder> parse(String s) {
            String[] f = s.strip().split(" ");
            try {
                return f.length == 2
                        ? Optional.of(new Holder(Integer.parseInt(f[0]), Long.parseLong(f[1])))
                        : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /** Another agent holds the lock. */
    public static final class HeldException extends IOException {
        HeldException(String message) {
            super(message);
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private HostLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock in {@code runDir} (prepared), or throws {@link HeldException} naming the agent that has it. */
    public static HostLock acquire(Path runDir) throws IOException {
        Path file = runDir.resolve(RunDir.LOCK);
        FileChannel ch = FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                String who = read(ch).map(h -> "pid " + h.pid()).orElse("pid unknown");
                throw new HeldException("another agent is running on this host (" + who + "; lock " + file + ")");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(Holder.self().line().getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(true);
            return new HostLock(ch, lock);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static Optional<Holder> read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(MAX_CONTENT);
        ch.read(b, 0);
        return Holder.parse(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
