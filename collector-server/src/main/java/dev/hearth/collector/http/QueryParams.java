package dev.hearth.collector.http;

import dev.hearth.collector.labels.LabelSelector;
import dev.hearth.collector.storage.Selection;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ingest.IngestApi;
import java.util.List;
import java.util.Map;

/** Typed access to a request's query parameters; anything malformed is a 400 naming the parameter. */
public final class QueryParams {
    private static final long HOUR_MS = 3_600_000L;

    private final Map<String, List<String>> params;

    public QueryParams(Map<String, List<String>> params) {
        this.params = params;
    }

    /** The parameter's last value, or null when absent or empty. */
    public String optional(String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) return null;
        String v = values.get(values.size() - 1);
        return v.isEmpty() ? null : v;
    }

    public String required(String name) {
        String v = optional(name);
        if (v == null || v.isBlank()) throw ApiException.badRequest("missing parameter '" + name + "'");
        return v;
    }

    public long longParam(String name, long otherwise) {
        String v = optional(name);
        if (v == null) return otherwise;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("parameter '" + name + "' must be an integer, got '" + v + "'");
        }
    }

    public boolean has(String name) {
        return optional(name) != null;
    }

    public boolean flag(String name) {
        String v = optional(name);
        if (v == null || v.equals("false")) return false;
        if (v.equals("true")) return true;
        throw ApiException.badRequest("parameter '" + name + "' must be true or false, got '" + v + "'");
    }

    public String service() {
        String s = required(IngestApi.SERVICE).trim();
        if (s.length() > IngestApi.MAX_SERVICE_LENGTH || s.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest(
                    "service must be at most " + IngestApi.MAX_SERVICE_LENGTH + " printable characters");
        }
        return s;
    }

    public ProfileType type() {
        try {
            return ProfileType.ofId(required(IngestApi.TYPE).trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    public LabelSelector selector(String name) {
        try {
            return LabelSelector.parse(optional(name));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("parameter '" + name + "': " + e.getMessage());
        }
    }

    /** The queried window; until defaults to now and from to an hour before until. */
    public Selection selection(
            String tenant, String fromName, String untilName, String labelsName, long defaultFrom, long defaultUntil) {
        long until = longParam(untilName, defaultUntil);
        long from = longParam(fromName, defaultFrom);
        checkWindow(fromName, from, untilName, until);
        return new Selection(tenant, service(), type(), from, until, selector(labelsName));
    }

    public Selection selection(String tenant, long now) {
        long until = longParam(IngestApi.UNTIL, now);
        return selection(tenant, IngestApi.FROM, IngestApi.UNTIL, IngestApi.LABELS, until - HOUR_MS, until);
    }

    /**
     * Times are Unix milliseconds from 1970 up to the end of year 9999: any sum or difference of two
     * of them, or of a step, stays far from overflow.
     */
    public static final long MAX_TIME_MS = 253_402_300_799_999L;

    public static void checkWindow(String fromName, long from, String untilName, long until) {
        checkTime(fromName, from);
        checkTime(untilName, until);
        if (from >= until) {
            throw ApiException.badRequest(
                    fromName + " (" + from + ") must be before " + untilName + " (" + until + ")");
        }
    }

    public static void checkTime(String name, long ms) {
        if (ms < 0 || ms > MAX_TIME_MS) {
            throw ApiException.badRequest(
                    name + " (" + ms + ") must be Unix milliseconds between 0 and " + MAX_TIME_MS);
        }
    }

    /** 2000-01-01 in Unix ms: a stored profile's time before it is evidently seconds, not milliseconds. */
    public static final long MIN_INGEST_MS = 946_684_800_000L;

    /**
     * A stored profile's window: {@link #checkWindow}, and times that are evidently not milliseconds
     * (before 2000: seconds; after 9999: micro- or nanoseconds) are refused, naming the mistake.
     */
    public static void checkIngestWindow(String fromName, long from, String untilName, long until) {
        checkIngestTime(fromName, from);
        checkIngestTime(untilName, until);
        checkWindow(fromName, from, untilName, until);
    }

    private static void checkIngestTime(String name, long ms) {
        if (ms >= 0 && ms < MIN_INGEST_MS) {
            throw ApiException.badRequest(name + " (" + ms
                    + ") is before 2000 as Unix milliseconds: it looks like seconds; send milliseconds");
        }
        if (ms > MAX_TIME_MS) {
            throw ApiException.badRequest(
                    name + " (" + ms + ") is after 9999 as Unix milliseconds: it looks like micro- or nanoseconds;"
                            + " send milliseconds");
        }
    }

    /** Index of the value type to show: {@code value=NAME}, or the type's default (its last). */
    public int valueIndex(ProfileType type) {
        String name = optional("value");
        if (name == null) return type.defaultValueIndex();
        for (int i = 0; i < type.valueTypes().size(); i++) {
            if (type.valueTypes().get(i).type().equals(name)) return i;
        }
        throw ApiException.badRequest("a " + type.id() + " profile has no value '" + name + "'; it has "
                + type.valueTypes().stream().map(v -> v.type()).toList());
    }
}
