package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;

/** CI rule: tests needing root skip with a reason when not root, unless CI is set (then they must run). */
final class Privileges {
    private Privileges() {}

    static boolean isRoot() { return new UnixSystem().getUid() == 0; }

    static void assumeRootOrCi(String why) {
        assumeTrue(isRoot() || System.getenv("CI") != null, "skipped: needs root (" + why + "); run as root or with CI=true");
    }
}
