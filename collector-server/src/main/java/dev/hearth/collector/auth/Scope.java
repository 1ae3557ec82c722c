package dev.hearth.collector.auth;

import java.util.Locale;

/** What a token may do: send profiles, or read them back (every query, the UI's data included). */
public enum Scope {
    INGEST,
    QUERY;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope ofId(String id) {
        for (Scope s : values()) {
            if (s.id().equals(id)) return s;
        }
        throw new IllegalArgumentException("unknown scope '" + id + "', expected ingest or query");
    }
}
