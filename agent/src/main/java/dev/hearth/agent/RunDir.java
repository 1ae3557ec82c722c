package dev.hearth.agent;

import dev.hearth.agent.proc.ProcessStatus;
import dev.hearth.symbolizer.safefs.SafeDir;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

/**
 * The agent's state folder on the host ({@code --run-dir}, {@code /run/hearth} by default): the
 * host-wide lock ({@value #LOCK}) and the JVMs the running agent profiles ({@value #JVMS}/).
 * Made by root for root alone: every component up to it must be owned by root (or whoever runs
 * the agent) and writable by no one else, so nothing in it can be planted by a profiled process.
 */
public final class RunDir {
    /** Where the agent keeps its lock and list unless told otherwise (--run-dir). */
    public static final String DEFAULT = "/run/hearth";

    public static final String LOCK = "agent.lock";
    public static final String JVMS = "jvms";

    private RunDir() {}

    /** {@code dir}, made (mode 0700) if missing and checked; IOException names what is wrong with it. */
    public static Path prepare(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (abs.getParent() == null) throw new IOException("run dir cannot be /");
        int self = ProcessStatus.read(
                        Path.of("/proc"), (int) ProcessHandle.current().pid())
                .euid();
        int[] owners = self == 0 ? new int[] {0} : new int[] {0, self};
        try (SafeDir root = SafeDir.openTrusted(Path.of("/"))) {
            String name = abs.getFileName().toString();
            try (SafeDir parent = root.dir(relative(abs.getParent()))) {
                if (parent.statEntry(name) == null) {
                    try {
                        parent.createDir(name, 0700).close();
                    } catch (FileAlreadyExistsException raced) {
                        // another agent made it meanwhile: checked below like any other
                    }
                }
            }
            // every component, the run dir included: root's (or ours), writable by no one else (a sticky /tmp above is
            // fine)
            root.trustedDir(relative(abs), owners).close();
        }
        return abs;
    }

    private static String relative(Path abs) {
        return abs.toString().substring(1);
    }
}
