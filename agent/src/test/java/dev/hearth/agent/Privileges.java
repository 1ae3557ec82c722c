package dev.hearth.agent;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;

/** CI rule: tests needing root skip with a reason when not root, unless CI=true (then they must run). */
final class Privileges {
    private Privileges() {}

    static void assumeRootOrCi(String why) {
        assumeTrue(new UnixSystem().getUid() == 0 || "true".equals(System.getenv("CI")),
                "skipped: needs root (" + why + "); run as root or with CI=true");
    }
}
