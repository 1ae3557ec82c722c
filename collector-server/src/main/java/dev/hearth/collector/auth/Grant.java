package dev.hearth.collector.auth;

import java.util.Set;

/** What one token gives: a tenant and what it may do there. */
public record Grant(String tenant, Set<Scope> scopes) {
    public Grant {
        Tenant.check(tenant);
        scopes = Set.copyOf(scopes);
    }
}
