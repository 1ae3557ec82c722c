package dev.hearth.symbolizer.procfs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The lines of /proc/PID/status Hearth uses: {@code nsPid}, the pid in the process's own pid
 * namespace (the last NSpid field; the host pid when the kernel gives none); the uids of "Uid:"
 * (real, effective, saved, file-system; -1 when the line is missing); and the signal masks "SigCgt"
 * (caught) and "SigIgn".
 */
public record PidStatus(
        int nsPid, int realUid, int effectiveUid, int savedUid, int fsUid, long caughtSignals, long ignoredSignals) {
    /** SIGQUIT (3) in the signal masks. */
    public static final long SIGQUIT_MASK = 1L << (3 - 1);

    public static PidStatus read(Path pidDir) throws IOException {
        String text = KernelFile.read(pidDir.resolve("status"), KernelFile.MAX_PID_FILE);
        try {
            return parse(text, hostPid(pidDir));
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed " + pidDir.resolve("status") + ": " + e.getMessage(), e);
        }
    }

    /** The pid a /proc/PID folder is named by; -1 for another name. */
    private static int hostPid(Path pidDir) {
        String name = pidDir.getFileName().toString();
        return !name.isEmpty() && name.length() < 11 && name.chars().allMatch(Character::isDigit)
                ? Integer.parseInt(name)
                : -1;
    }

    /** Parses the text of the status file of process {@code pid}. */
    public static PidStatus parse(String text, int pid) {
        int nsPid = pid;
        int[] uids = {-1, -1, -1, -1};
        long caught = 0, ignored = 0;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String[] v = line.substring(colon + 1).trim().split("\\s+");
            switch (line.substring(0, colon)) {
                case "NSpid" -> nsPid = Integer.parseInt(v[v.length - 1]);
                case "Uid" -> {
                    if (v.length != 4) throw new IllegalArgumentException("Uid has " + v.length + " fields, not 4");
                    uids = new int[] {
                        Integer.parseInt(v[0]), Integer.parseInt(v[1]), Integer.parseInt(v[2]), Integer.parseInt(v[3])
                    };
                }
                case "SigCgt" -> caught = Long.parseUnsignedLong(v[0], 16);
                case "SigIgn" -> ignored = Long.parseUnsignedLong(v[0], 16);
                default -> {}
            }
        }
        return new PidStatus(nsPid, uids[0], uids[1], uids[2], uids[3], caught, ignored);
    }

    /** SIGQUIT starts HotSpot's attach listener; a process that does not catch it would dump core or die. */
    public boolean catchesSigquit() {
        return (caughtSignals & SIGQUIT_MASK) != 0 && (ignoredSignals & SIGQUIT_MASK) == 0;
    }
}
