package dev.hearth.agent.jvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JVM process as the agent reaches its files: {@code root} is where its mount namespace's "/"
 * appears to us ("/" when it shares ours, else /proc/PID/root, which keeps containers reachable),
 * and its user and group, who must be able to read what we place there.
 */
public record JvmTarget(int pid, Path root, int uid, int gid) {
    static final Path PROC = Path.of("/proc");

    public static JvmTarget of(int pid) throws IOException {
        Path dir = PROC.resolve(Integer.toString(pid));
        int[] ids = ids(dir.resolve("status"));
        boolean sameNamespace = Files.readSymbolicLink(PROC.resolve("self/ns/mnt"))
                .equals(Files.readSymbolicLink(dir.resolve("ns/mnt")));
        return new JvmTarget(pid, sameNamespace ? Path.of("/") : dir.resolve("root"), ids[0], ids[1]);
    }

    /** Where a path of the target's namespace is for us. */
    public Path hostPath(String targetPath) {
        return root.resolve(targetPath.startsWith("/") ? targetPath.substring(1) : targetPath);
    }

    public boolean alive() {
        return Files.exists(PROC.resolve(Integer.toString(pid)));
    }

    /** Real uid and gid from the "Uid:" and "Gid:" lines of /proc/PID/status. */
    private static int[] ids(Path status) throws IOException {
        int uid = -1;
        int gid = -1;
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("Uid:"))
                uid = Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
            if (line.startsWith("Gid:"))
                gid = Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
        }
        if (uid < 0 || gid < 0) throw new IOException("no Uid/Gid in " + status);
        return new int[] {uid, gid};
    }
}
