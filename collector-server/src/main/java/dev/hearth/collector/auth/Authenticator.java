package dev.hearth.collector.auth;

/**
 * Who sends a request and whether it may do what it asks. With tokens, the token names the tenant
 * and its scopes, and a tenant header may only repeat that tenant. Without tokens (a collector on
 * loopback, or behind a proxy that authenticates), the tenant header names the tenant, else
 * {@link Tenant#ANONYMOUS}.
 */
public final class Authenticator {
    /** The value of {@code WWW-Authenticate} on a 401. */
    public static final String CHALLENGE = "Bearer realm=\"hearth\"";

    private static final String BEARER = "Bearer ";
    private static final String BASIC_FORM =
            "malformed Basic credentials: send base64(TENANT:TOKEN), the token as password";

    public sealed interface Decision permits Allowed, Denied {}

    /** Go ahead as this tenant. */
    public record Allowed(String tenant) implements Decision {}

    /** Refused: 400 (a malformed tenant header), 401 (no or unknown token) or 403 (not allowed). */
    public record Denied(int status, String message) implements Decision {}

    private final Tokens tokens;

    /** @param tokens the tokens in force, or null to take the tenant from the header */
    public Authenticator(Tokens tokens) {
        this.tokens = tokens;
    }

    public boolean usesTokens() {
        return tokens != null;
    }

    /**
     * @param scope         what the request does
     * @param authorization the Authorization header, or null
     * @param tenantHeader  the X-Scope-OrgID header, or null
     */
    public Decision decide(Scope scope, String authorization, String tenantHeader) {
        if (tenantHeader != null && !Tenant.isValid(tenantHeader)) {
            return new Denied(400, "header " + Tenant.HEADER + ": " + Tenant.RULE);
        }
        if (BasicCredentials.isBasic(authorization)) { // user = tenant (like the header), password = token
            BasicCredentials basic;
            try {
                basic = BasicCredentials.parse(authorization);
            } catch (IllegalArgumentException e) {
                return new Denied(401, BASIC_FORM + ": " + e.getMessage());
            }
            String user = basic.user().isEmpty() ? null : basic.user();
            if (user != null && !Tenant.isValid(user))
                return new Denied(401, BASIC_FORM + "; the user is a tenant id: " + Tenant.RULE);
            if (user != null && tenantHeader != null && !user.equals(tenantHeader)) {
                return new Denied(400, "the Basic user and header " + Tenant.HEADER + " name different tenants");
            }
            String claimed = tenantHeader != null ? tenantHeader : user;
            if (tokens == null) return new Allowed(claimed != null ? claimed : Tenant.ANONYMOUS);
            return byToken(scope, basic.password(), claimed);
        }
        if (tokens == null) return new Allowed(tenantHeader != null ? tenantHeader : Tenant.ANONYMOUS);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return new Denied(
                    401,
                    "this collector needs a token: send 'Authorization: Bearer TOKEN' (or Basic with the token as password)");
        }
        return byToken(scope, authorization.substring(BEARER.length()).strip(), tenantHeader);
    }

    /** With tokens: the grant of the token, checked against the scope and the tenant the request names (or null). */
    private Decision byToken(Scope scope, String token, String tenantHeader) {
        Grant g = tokens.find(token);
        if (g == null) return new Denied(401, "unknown token");
        if (!g.scopes().contains(scope))
            return new Denied(
                    403,
                    "this token may not " + scope.id() + " (its scopes: "
                            + g.scopes().stream().map(Scope::id).sorted().toList() + ")");
        if (tenantHeader != null && !tenantHeader.equals(g.tenant())) {
            return new Denied(403, "header " + Tenant.HEADER + " names another tenant than the token's");
        }
        return new Allowed(g.tenant());
    }
}
