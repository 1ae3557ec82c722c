package dev.hearth.pprof.ingest;

/**
 * Our ingest endpoint as the agent sends to it and the collector serves it:
 * {@code POST PATH?service=S&type=T&from=MS&until=MS[&labels=k=v,k=v][&id=ID]} with a pprof body,
 * gzipped or not (docs/api.md). The query API selects profiles with the same names.
 */
public final class IngestApi {
    public static final String PATH = "/api/v1/ingest";
    public static final String SERVICE = "service";
    /** Longest service name a collector takes (after trimming; no control characters). */
    public static final int MAX_SERVICE_LENGTH = 256;
    /** a {@link dev.hearth.pprof.ProfileType} id */
    public static final String TYPE = "type";
    /** the profile's window, Unix milliseconds */
    public static final String FROM = "from";

    public static final String UNTIL = "until";
    /** profile labels, in {@link LabelFormat}'s form */
    public static final String LABELS = "labels";
    /** fixed per profile by its sender: a retry of a profile already stored is acknowledged, not stored again */
    public static final String ID = "id";
    /** the body's format: {@code pprof} when absent, {@code folded} or {@code jfr} */
    public static final String FORMAT = "format";

    private IngestApi() {}
}
