package dev.hearth.agent.jvm;

import dev.hearth.agent.HostLock;
import dev.hearth.agent.RunDir;
import dev.hearth.agent.proc.ProcessStatus;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JVMs in which an agent started async-profiler, one file per JVM under the run dir's
 * {@value RunDir#JVMS}/ ({@code PID-STARTTICKS}, holding the agent's pid and start time), written
 * before the profiler starts and removed once it is stopped. It answers the two questions that keep
 * agents and {@code record} from breaking each other's profiling: who started a profiler found
 * running in a JVM (only one whose agent is verifiably gone may be stopped and taken over), and
 * which JVMs a running agent profiles.
 */
public final class ProfiledJvms {
    private static final System.Logger LOG = System.getLogger(ProfiledJvms.class.getName());
    private static final Path PROC = JvmTarget.PROC;
    private static final long MAX_RECORD_BYTES = 64;

    /** A JVM an agent profiles, and that agent. */
    public record Entry(int pid, long startTicks, HostLock.Holder agent) {}

    private final Path dir;
    private final HostLock.Holder self;

    /** The list kept by agent {@code self} (which holds the host lock) in {@code runDir}. */
    public ProfiledJvms(Path runDir, HostLock.Holder self) throws IOException {
        this.dir = runDir.resolve(RunDir.JVMS);
        this.self = self;
        Files.createDirectories(dir);
        // JVMs that exited since an agent died: their files mean nothing any more
        for (Entry e : read(runDir)) {
            if (!ProcessStatus.alive(PROC, e.pid(), e.startTicks()))
                Files.deleteIfExists(file(e.pid(), e.startTicks()));
        }
    }

    /** Every JVM listed in {@code runDir} (whatever the state of its agent); empty when there is no list. */
    public static List<Entry> read(Path runDir) throws IOException {
        Path dir = runDir.resolve(RunDir.JVMS);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return List.of();
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) parse(p).ifPresent(out::add);
        }
        return out;
    }

    /** JVMs a running agent profiles with async-profiler. */
    public static List<Entry> profiledByLiveAgents(Path runDir) throws IOException {
        return read(runDir).stream()
                .filter(e -> e.agent().alive() && ProcessStatus.alive(PROC, e.pid(), e.startTicks()))
                .toList();
    }

    /** The agent listed for this JVM, if any. */
    Optional<HostLock.Holder> owner(ProcessStatus jvm) throws IOException {
        return parse(file(jvm.pid(), jvm.startTicks())).map(Entry::agent);
    }

    /** Whether a profiler that agent started may be stopped by us: it is ours, or that agent is gone. */
    boolean gone(HostLock.Holder agent) {
        return agent.equals(self) || !agent.alive();
    }

    /** Lists the JVM as ours (replacing a gone agent's entry), before its profiler is started. */
    void claim(ProcessStatus jvm) throws IOException {
        Path f = file(jvm.pid(), jvm.startTicks());
        Path tmp = dir.resolve("." + f.getFileName() + ".tmp");
        Files.writeString(tmp, self.line(), StandardCharsets.US_ASCII);
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The profiler we started there is stopped (or never started). */
    void release(ProcessStatus jvm) {
        try {
            Path f = file(jvm.pid(), jvm.startTicks());
            if (owner(jvm).filter(self::equals).isPresent()) Files.deleteIfExists(f);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "JVM " + jvm.pid() + ": cannot update " + dir + ": " + e.getMessage());
        }
    }

    private Path file(int pid, long startTicks) {
        return dir.resolve(pid + "-" + startTicks);
    }

    private static Optional<Entry> parse(Path f) throws IOException {
        String[] name = f.getFileName().toString().split("-");
        if (name.length != 2
                || !name[0].chars().allMatch(Character::isDigit)
                || !name[1].chars().allMatch(Character::isDigit)
                || name[0].isEmpty()
                || name[1].isEmpty()) return Optional.empty();
        try {
            if (Files.size(f) > MAX_RECORD_BYTES) return Optional.empty();
            return HostLock.Holder.parse(Files.readString(f, StandardCharsets.US_ASCII))
                    .map(h -> new Entry(Integer.parseInt(name[0]), Long.parseLong(name[1]), h));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
