package dev.hearth.agent.proc;

import dev.hearth.symbolizer.procfs.PidStat;
import dev.hearth.symbolizer.safefs.SafeDir;
import dev.hearth.symbolizer.safefs.SafeFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the parts of /proc/PID the agent needs. Everything is best effort: a process can exit
 * between two reads, and another user's environment can be unreadable; such reads give empty values.
 */
final class ProcFs {
    private final Path proc;

    ProcFs(Path proc) {
        this.proc = proc;
    }

    /** /proc/PID/stat; null if gone or unreadable. */
    PidStat stat(int pid) {
        try {
            return PidStat.read(proc.resolve(Integer.toString(pid)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    String comm(int pid) {
        String s = read(pid, "comm");
        return s == null ? "" : s.strip();
    }

    /** The target of /proc/PID/exe (the link is read, never followed); null when unreadable. */
    String exe(int pid) {
        try {
            return Files.readSymbolicLink(proc.resolve(Integer.toString(pid)).resolve("exe"))
                    .toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    List<String> cmdline(int pid) {
        return nulSeparated(read(pid, "cmdline"));
    }

    Map<String, String> environ(int pid) {
        Map<String, String> env = new HashMap<>();
        for (String kv : nulSeparated(read(pid, "environ"))) {
            int eq = kv.indexOf('=');
            if (eq > 0) env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return env;
    }

    /**
     * Implementation-Version of a jar the process was started with. The path is the process's
     * choice: it is resolved inside the process's own mount namespace (/proc/PID/root) or working
     * directory with no link followed, must be a regular file (a FIFO never blocks), and is read
     * within {@link JarManifest}'s bounds.
     */
    String jarVersion(int pid, String jar) {
        Path base = proc.resolve(Integer.toString(pid));
        Path start = jar.startsWith("/") ? base.resolve("root") : base.resolve("cwd");
        String rel = jar.startsWith("/") ? jar.substring(1) : jar;
        int slash = rel.lastIndexOf('/');
        try (SafeDir from = SafeDir.openTrusted(start);
                SafeDir dir = from.dir(slash < 0 ? "" : rel.substring(0, slash));
                SafeFile file = dir.openFile(rel.substring(slash + 1));
                var in = file.input()) {
            return JarManifest.implementationVersion(in);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    List<Integer> pids() {
        List<Integer> out = new ArrayList<>();
        try (var dirs = Files.newDirectoryStream(proc)) {
            for (Path d : dirs) {
                String n = d.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) out.add(Integer.parseInt(n));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + proc + ": " + e.getMessage(), e);
        }
        return out;
    }

    private String read(int pid, String file) {
        try {
            return new String(
                    Files.readAllBytes(proc.resolve(Integer.toString(pid)).resolve(file)), StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static List<String> nulSeparated(String s) {
        List<String> out = new ArrayList<>();
        if (s == null) return out;
        for (String part : s.split("\0")) if (!part.isEmpty()) out.add(part);
        return out;
    }
}
