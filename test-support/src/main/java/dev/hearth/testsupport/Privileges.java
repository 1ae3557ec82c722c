package dev.hearth.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CI rule: tests needing root skip with a reason when not root, unless CI is set (then they must run, and fail). */
public final class Privileges {
    private Privileges() {}

    /** Root as the kernel judges it: the effective uid (the second field of "Uid:" in /proc/self/status) is 0. */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:"))
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
            }
        } catch (IOException e) {
            // no /proc: not a machine these tests run on as root
        }
        return false;
    }

    public static void assumeRootOrCi(String why) {
        assumeTrue(
                isRoot() || System.getenv("CI") != null,
                "skipped: needs root (" + why + "); run as root or with CI=true");
    }
}
