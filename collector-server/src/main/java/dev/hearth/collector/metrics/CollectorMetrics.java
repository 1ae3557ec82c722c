package dev.hearth.collector.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The collector's own health, as {@code GET /metrics} serves it: the one place the handlers report
 * to. Label values are the constants of the callers (formats, results, reasons, endpoints), never
 * text from a request, so no client can grow the number of series. Thread-safe.
 */
public final class CollectorMetrics {
    /** What the collector's size looks like when scraped; read cheaply and cached by its source. */
    public record StoreSize(long bytesOnDisk, Map<String, Long> rowsByTable) {}

    /** A limit from docs/security.md that a request ran into. */
    public enum Limit {
        CONNECTIONS("connections"),
        BODY_BUDGET("body_budget"),
        BODY_SIZE("body_size"),
        QUERY_DEADLINE("query_deadline"),
        STACK_DEPTH("stack_depth"),
        SUM_SATURATED("sum_saturated");

        public final String label;

        Limit(String label) {
            this.label = label;
        }
    }

    private static final ExpositionFormats FORMATS = ExpositionFormats.init();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter ingests = Counter.builder()
            .withoutExemplars()
            .name("hearth_collector_ingest_requests_total")
            .help("ingest requests answered, by body format and result (stored, rejected, busy, failed)")
            .labelNames("format", "result")
            .register(registry);
    private final Counter ingestBytes = Counter.builder()
            .withoutExemplars()
            .name("hearth_collector_ingest_bytes_total")
            .help("request body bytes received by the ingest paths, as sent (compressed or not), by format and result")
            .labelNames("format", "result")
            .register(registry);
    private final Counter rejects = Counter.builder()
            .withoutExemplars()
            .name("hearth_collector_rejected_requests_total")
            .help("requests answered 4xx or 5xx, by status and reason")
            .labelNames("status", "reason")
            .register(registry);
    private final Counter limits = Counter.builder()
            .withoutExemplars()
            .name("hearth_collector_limit_hits_total")
            .help(
                    "times a request ran into a limit: connections and body budget refused, bodies over the size limit, query"
                            + " deadlines passed, stacks cut to the depth limit (one per sample), query answers with a saturated sum")
            .labelNames("limit")
            .register(registry);
    private final Histogram queries = Histogram.builder()
            .withoutExemplars()
            .name("hearth_collector_query_seconds")
            .help("time from a query's request to its answer, by endpoint")
            .labelNames("endpoint")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register(registry);
    private final Counter retentionRuns = Counter.builder()
            .withoutExemplars()
            .name("hearth_collector_retention_runs_total")
            .help("retention passes, by result")
            .labelNames("result")
            .register(registry);
    private final Counter retentionDeleted = Counter.builder()
            .withoutExemplars()
            .name("hearth_collector_retention_deleted_profiles_total")
            .help("profiles deleted by retention")
            .register(registry);
    private final Counter downsamplingRuns = Counter.builder()
            .withoutExemplars()
            .name("hearth_collector_downsampling_runs_total")
            .help("downsampling passes, by result")
            .labelNames("result")
            .register(registry);
    private final Counter downsampledProfiles = Counter.builder()
            .withoutExemplars()
            .name("hearth_collector_downsampled_profiles_total")
            .help("profiles merged by downsampling into one profile per series and step")
            .register(registry);
    private final Counter downsamplingRowsSaved = Counter.builder()
            .withoutExemplars()
            .name("hearth_collector_downsampling_rows_saved_total")
            .help("profile and sample rows fewer after downsampling than before")
            .register(registry);
    private final Histogram downsamplingSeconds = Histogram.builder()
            .withoutExemplars()
            .name("hearth_collector_downsampling_seconds")
            .help("time one downsampling pass took (the writer waits for it)")
            .classicOnly()
            .classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register(registry);

    public CollectorMetrics() {
        for (Limit l : Limit.values()) limits.labelValues(l.label); // every limit shows, at 0 until hit
        for (String r : new String[] {"ok", "failed"}) {
            retentionRuns.labelValues(r);
            downsamplingRuns.labelValues(r);
        }
    }

    /** An ingest request answered with {@code status}, after {@code bytes} of body. */
    public void ingest(String format, int status, long bytes) {
        String result = status < 300
                ? "stored"
                : status == 503 || status == 429 ? "busy" : status < 500 ? "rejected" : "failed";
        ingests.labelValues(format, result).inc();
        if (bytes > 0) ingestBytes.labelValues(format, result).inc(bytes);
    }

    public void rejected(int status, String reason) {
        rejects.labelValues(Integer.toString(status), reason).inc();
    }

    public void limitHit(Limit limit, long times) {
        if (times > 0) limits.labelValues(limit.label).inc(times);
    }

    public void query(String endpoint, long nanos) {
        queries.labelValues(endpoint).observe(nanos / 1e9);
    }

    public void retentionRun(boolean ok, long deletedProfiles) {
        retentionRuns.labelValues(ok ? "ok" : "failed").inc();
        if (deletedProfiles > 0) retentionDeleted.inc(deletedProfiles);
    }

    /** One downsampling pass: {@code profilesMerged} profiles went into fewer, {@code rowsSaved} rows fewer. */
    public void downsamplingRun(boolean ok, long profilesMerged, long rowsSaved, long nanos) {
        downsamplingRuns.labelValues(ok ? "ok" : "failed").inc();
        if (profilesMerged > 0) downsampledProfiles.inc(profilesMerged);
        if (rowsSaved > 0) downsamplingRowsSaved.inc(rowsSaved);
        downsamplingSeconds.observe(nanos / 1e9);
    }

    /** Requests waiting for the writer thread and for a worker, read when scraped. */
    public void queues(LongSupplier writeQueue, LongSupplier workQueue) {
        GaugeWithCallback.builder()
                .name("hearth_collector_queue_depth")
                .help("requests waiting, by queue (write: for the" + " storage writer; work: for a worker thread)")
                .labelNames("queue")
                .callback(cb -> {
                    cb.call(writeQueue.getAsLong(), "write");
                    cb.call(workQueue.getAsLong(), "work");
                })
                .register(registry);
    }

    /** The store's size, read when scraped from a source that caches it. */
    public void store(Supplier<StoreSize> size) {
        GaugeWithCallback.builder()
                .name("hearth_collector_store_bytes")
                .help("size on disk of the database and its log")
                .callback(cb -> cb.call(size.get().bytesOnDisk()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("hearth_collector_store_rows")
                .help("rows of the main tables (the database's own estimate)")
                .labelNames("table")
                .callback(cb -> size.get().rowsByTable().forEach((t, n) -> cb.call(n, t)))
                .register(registry);
    }

    /** The exposition a scraper asked for with {@code accept}: Prometheus text unless it asks for another. */
    public Scrape scrape(String accept) {
        ExpositionFormatWriter w = FORMATS.findWriter(accept);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            w.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Scrape(w.getContentType(), out.toByteArray());
    }

    public record Scrape(String contentType, byte[] body) {}
}
