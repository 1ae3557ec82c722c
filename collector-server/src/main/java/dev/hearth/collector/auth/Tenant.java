package dev.hearth.collector.auth;

import java.util.regex.Pattern;

/**
 * Tenant ids: whose profiles a request reads or writes. Without tokens a request names its tenant
 * in the {@code X-Scope-OrgID} header (as Pyroscope and Mimir do behind an authenticating proxy),
 * or gets {@link #ANONYMOUS}; with tokens the token says it.
 */
public final class Tenant {
    public static final String ANONYMOUS = "anonymous";
    public static final String HEADER = "X-Scope-OrgID";
    public static final int MAX_LENGTH = 64;
    public static final String RULE =
            "a tenant id is 1 to " + MAX_LENGTH + " of [A-Za-z0-9._-], starting with a letter or digit";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private Tenant() {}

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The id, or an IllegalArgumentException saying what a tenant id may hold. */
    public static String check(String id) {
        if (!isValid(id)) throw new IllegalArgumentException(RULE);
        return id;
    }
}
