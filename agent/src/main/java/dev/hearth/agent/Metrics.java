package dev.hearth.agent;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The agent's own health, in the Prometheus client's registry: counters it increments, histograms
 * it observes, and values read when scraped (from the BPF side, the symbolizer, the spool). A
 * family has at most one label. Thread-safe.
 */
public final class Metrics {
    /** What a value read at scrape time is: cumulative, or a level. */
    public enum Kind {
        COUNTER,
        GAUGE
    }

    private record Series(String labelValue, LongSupplier value) {}

    private record Read(Kind kind, String labelName, List<Series> series) {}

    private final PrometheusRegistry registry = new PrometheusRegistry();
    /** By name: a {@link Counter}, a {@link Histogram} or a {@link Read}. */
    private final Map<String, Object> families = new HashMap<>();

    public PrometheusRegistry registry() {
        return registry;
    }

    public CounterDataPoint counter(String name, String help) {
        return counter(name, help, null, null);
    }

    /** One series of a counter labelled {@code label}; the family is created on first use. */
    public synchronized CounterDataPoint counter(String name, String help, String label, String value) {
        Object f = families.computeIfAbsent(name, n -> {
            Counter.Builder b = Counter.builder().name(n).help(help).withoutExemplars(); // no traces to link to
            if (label != null) b.labelNames(label);
            return b.register(registry);
        });
        if (!(f instanceof Counter c))
            throw new IllegalArgumentException(name + " is not a counter the agent increments");
        return label == null ? c : c.labelValues(value);
    }

    /** A histogram in seconds (or the unit its name says), with these bucket bounds. */
    public synchronized Histogram histogram(String name, String help, double... upperBounds) {
        Object f = families.computeIfAbsent(
                name,
                n -> Histogram.builder()
                        .name(n)
                        .help(help)
                        .withoutExemplars()
                        .classicOnly()
                        .classicUpperBounds(upperBounds)
                        .register(registry));
        if (!(f instanceof Histogram h)) throw new IllegalArgumentException(name + " is not a histogram");
        return h;
    }

    public void read(String name, String help, Kind kind, LongSupplier value) {
        read(name, help, kind, null, null, value);
    }

    /** A series read when scraped, labelled {@code label}={@code labelValue} (or not, when null). */
    public synchronized void read(
            String name, String help, Kind kind, String label, String labelValue, LongSupplier value) {
        Object f = families.computeIfAbsent(name, n -> register(n, help, kind, label));
        if (!(f instanceof Read r) || r.kind() != kind || !Objects.equals(r.labelName(), label)) {
            throw new IllegalArgumentException(name + " is already registered otherwise");
        }
        if (r.series().stream().anyMatch(s -> Objects.equals(s.labelValue(), labelValue))) {
            throw new IllegalArgumentException("duplicate series " + name + "{" + label + "=" + labelValue + "}");
        }
        r.series().add(new Series(labelValue, value));
    }

    private Read register(String name, String help, Kind kind, String label) {
        Read r = new Read(kind, label, new CopyOnWriteArrayList<>());
        String[] labels = label == null ? new String[0] : new String[] {label};
        if (kind == Kind.COUNTER) {
            CounterWithCallback.builder()
                    .name(name)
                    .help(help)
                    .labelNames(labels)
                    .callback(cb -> r.series().forEach(s -> cb.call(s.value().getAsLong(), values(s))))
                    .register(registry);
        } else {
            GaugeWithCallback.builder()
                    .name(name)
                    .help(help)
                    .labelNames(labels)
                    .callback(cb -> r.series().forEach(s -> cb.call(s.value().getAsLong(), values(s))))
                    .register(registry);
        }
        return r;
    }

    private static String[] values(Series s) {
        return s.labelValue() == null ? new String[0] : new String[] {s.labelValue()};
    }

    /** The Prometheus text exposition format (version 0.0.4), as scraped. */
    public String render() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
