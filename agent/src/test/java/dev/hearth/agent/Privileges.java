package dev.hearth.agent;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;

/** CI rule: tests needing root skip with a reason when not root, unless CI is set (then they must run). */
public final class Privileges {
    private Privileges() {}

    public static void assumeRootOrCi(String why) {
        assumeTrue(new UnixSystem().getUid() == 0 || System.getenv("CI") != null,
                "skipped: needs root (" + why + "); run as root or with CI=true");
    }
}
