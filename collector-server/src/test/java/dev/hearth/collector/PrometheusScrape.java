package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.LabelPair;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Metric;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricType;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One scrape of a /metrics endpoint, read as Prometheus reads it: the protobuf exposition parsed
 * with the Prometheus client's own model ({@code MetricFamily}; the Java client has no text-format
 * parser), then the text exposition of the same endpoint checked to carry a HELP and a TYPE line
 * of the same type for every family, and a sample line for every series.
 */
public final class PrometheusScrape {
    public static final String PROTOBUF =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    private final Map<String, MetricFamily> families;
    public final String text;

    private PrometheusScrape(Map<String, MetricFamily> families, String text) {
        this.families = families;
        this.text = text;
    }

    /** Scrapes {@code GET /metrics} of the server {@code http} talks to, in both formats. */
    public static PrometheusScrape of(Http http) throws Exception {
        Http.Reply proto = http.withHeader("Accept", PROTOBUF).get("/metrics");
        assertEquals(200, proto.status(), proto.text());
        assertTrue(proto.raw()
                .headers()
                .firstValue("Content-Type")
                .orElse("")
                .startsWith("application/vnd.google.protobuf"));
        Map<String, MetricFamily> families = new TreeMap<>();
        InputStream in = new ByteArrayInputStream(proto.body());
        for (MetricFamily f; (f = MetricFamily.parseDelimitedFrom(in)) != null; ) families.put(f.getName(), f);
        Http.Reply text = http.withHeader("Accept", "text/plain").get("/metrics");
        assertEquals(200, text.status(), text.text());
        assertTrue(text.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String t = text.text();
        for (MetricFamily f : families.values()) {
            String type = f.getType().name().toLowerCase(Locale.ROOT);
            assertTrue(
                    Pattern.compile("(?m)^# HELP " + f.getName() + " \\S")
                            .matcher(t)
                            .find(),
                    "HELP of " + f.getName() + " in\n" + t);
            assertTrue(
                    t.contains("\n# TYPE " + f.getName() + " " + type + "\n")
                            || t.startsWith("# TYPE " + f.getName() + " " + type + "\n"),
                    "TYPE " + type + " of " + f.getName() + " in\n" + t);
            String sample = f.getType() == MetricType.HISTOGRAM ? f.getName() + "_count" : f.getName();
            for (Metric m : f.getMetricList()) {
                assertTrue(
                        Pattern.compile("(?m)^" + Pattern.quote(sample + braces(m)) + " \\S+$")
                                .matcher(t)
                                .find(),
                        "series " + sample + braces(m) + " in\n" + t);
            }
        }
        return new PrometheusScrape(families, t);
    }

    private static String braces(Metric m) {
        if (m.getLabelCount() == 0) return "";
        StringBuilder b = new StringBuilder("{");
        for (LabelPair l : m.getLabelList()) {
            if (b.length() > 1) b.append(',');
            b.append(l.getName()).append("=\"").append(l.getValue()).append('"');
        }
        return b.append('}').toString();
    }

    public MetricFamily family(String name) {
        MetricFamily f = families.get(name);
        assertTrue(f != null, name + " is not served; families: " + families.keySet());
        return f;
    }

    /** The series of a family whose labels are exactly these (pairs of name, value). */
    public Optional<Metric> series(String name, String... labels) {
        Map<String, String> want = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) want.put(labels[i], labels[i + 1]);
        List<Metric> all = family(name).getMetricList();
        return all.stream()
                .filter(m -> {
                    Map<String, String> have = new HashMap<>();
                    for (LabelPair l : m.getLabelList()) have.put(l.getName(), l.getValue());
                    return have.equals(want);
                })
                .findFirst();
    }

    /** A counter's or a gauge's value; 0 for a series not (yet) there, as Prometheus reads a counter that has not started. */
    public double value(String name, String... labels) {
        MetricFamily f = family(name);
        return series(name, labels)
                .map(m -> switch (f.getType()) {
                    case COUNTER -> m.getCounter().getValue();
                    case GAUGE -> m.getGauge().getValue();
                    default -> throw new AssertionError(name + " is a " + f.getType());
                })
                .orElse(0.0);
    }

    /** How many observations a histogram series holds (0 when the series is not there). */
    public long observations(String name, String... labels) {
        MetricFamily f = family(name);
        assertEquals(MetricType.HISTOGRAM, f.getType(), name);
        return series(name, labels).map(m -> m.getHistogram().getSampleCount()).orElse(0L);
    }
}
