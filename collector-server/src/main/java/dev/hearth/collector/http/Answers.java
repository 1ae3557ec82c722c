package dev.hearth.collector.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the API's small answers, as records Jackson writes field by field in this order. */
final class Answers {
    private Answers() {}

    /** {@code POST /api/v1/ingest}: the profile's id, whether it was new, what it held. */
    record Ingested(String id, boolean stored, int samples, int truncatedStacks) {}

    /** {@code POST /api/v1/ingest?format=jfr}: one profile per type, and the damage of a recording cut short (null when whole). */
    record JfrIngested(List<TypedIngested> profiles, String damage) {}

    record TypedIngested(String type, String id, boolean stored, int samples, int truncatedStacks) {}

    /** {@code POST /ingest}: Pyroscope's ingest, one profile per type its body held. */
    record PyroscopeIngested(String service, List<PyroscopeProfile> profiles) {}

    record PyroscopeProfile(String type, int samples, int truncatedStacks) {}

    /** {@code GET /api/v1/services}. */
    record Services(List<Service> services) {}

    record Service(String name, List<String> types, List<String> labels) {}

    /** {@code GET /api/v1/labels}. */
    record Values(List<String> values) {}

    /** {@code GET /api/v1/services?from=&until=}: per service and type, how much data the window holds. */
    record Volumes(long from, long until, List<ServiceVolumes> services) {}

    record ServiceVolumes(String name, List<String> types, List<String> labels, Map<String, Volume> volume) {}

    record Volume(long total, String unit) {}

    /** {@code GET /api/v1/functions}: the baseline and search fields only when asked for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Functions(
            String unit,
            String value,
            long total,
            Long baseTotal,
            int count,
            Long matched,
            Long baseMatched,
            List<Function> functions) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Function(
            String name, String kind, List<String> kinds, long self, long total, Long baseSelf, Long baseTotal) {}
}
