package dev.hearth.bpf;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** BPF tests need root; outside CI they are skipped with a reason, in CI (CI set) they run and fail. */
final class Privileges {
    private Privileges() {
    }

    static void assumeBpf() {
        boolean ci = System.getenv("CI") != null;
        Assumptions.assumeTrue(ci || isRoot(), "skipped: loading BPF programs needs root (CI=true forces these tests)");
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:"))
                    .anyMatch(l -> l.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }
}
