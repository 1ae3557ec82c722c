package dev.hearth.agent.query;

import dev.hearth.pprof.ingest.IngestApi;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which profiles a query merges: the API's service, type, labels and time window. */
public final class SelectionOptions {
    @Option(names = "--service", paramLabel = "NAME", required = true, description = "the service")
    String service;

    @Option(
            names = "--type",
            paramLabel = "TYPE",
            defaultValue = "cpu",
            description = "cpu, offcpu, uprobe, alloc, lock or wall (default: ${DEFAULT-VALUE})")
    String type;

    @Option(
            names = "--value",
            paramLabel = "NAME",
            description = "which value of the type, e.g. cpu's 'samples' (default: the type's own)")
    String value;

    @Option(
            names = "--from",
            paramLabel = "TIME",
            defaultValue = "now-1h",
            description =
                    "start: now-1h, 2026-11-29T10:00 (local time), 2026-11-29T10:00:00Z, or Unix ms (default: ${DEFAULT-VALUE})")
    String from;

    @Option(
            names = "--until",
            paramLabel = "TIME",
            defaultValue = "now",
            description = "end, in the forms of --from (default: ${DEFAULT-VALUE})")
    String until;

    @Option(
            names = "--labels",
            paramLabel = "MATCHERS",
            description = "label matchers as the API takes them: k=v,k!=v,k=~regex,k!~regex")
    String labels;

    long fromMs(Instant now) {
        return QueryTime.parse(from, now, ZoneId.systemDefault());
    }

    long untilMs(Instant now) {
        return QueryTime.parse(until, now, ZoneId.systemDefault());
    }

    /** The API parameters of this selection, times read against {@code now}. */
    Map<String, String> params(Instant now) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(IngestApi.SERVICE, service);
        p.put(IngestApi.TYPE, type);
        p.put("value", value);
        p.put(IngestApi.FROM, Long.toString(fromMs(now)));
        p.put(IngestApi.UNTIL, Long.toString(untilMs(now)));
        p.put(IngestApi.LABELS, labels);
        return p;
    }
}
