package dev.hearth.collector.http;

import java.util.List;

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
}
