package dev.hearth.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The agent's own health as Prometheus text: counters it increments and values read when scraped
 * (from the BPF side, the symbolizer, the spool). Thread-safe.
 */
public final class Metrics {
    private record Family(String name, String help, String type, Map<String, LongSupplier> series) {}

    private final Map<String, Family> families = new LinkedHashMap<>();

    /** A counter with no labels or, with {@code labels} like {@code reason="x"}, one series of it. */
    public synchronized LongAdder counter(String name, String help, String labels) {
        LongAdder a = new LongAdder();
        register(name, help, "counter", labels, a::sum);
        return a;
    }

    /** A value read when scraped; {@code type} is "counter" (cumulative) or "gauge". */
    public synchronized void read(String name, String help, String type, String labels, LongSupplier value) {
        register(name, help, type, labels, value);
    }

    private void register(String name, String help, String type, String labels, LongSupplier value) {
        Family f = families.computeIfAbsent(name, n -> new Family(n, help, type, new LinkedHashMap<>()));
        if (!f.type().equals(type)) throw new IllegalArgumentException(name + " is a " + f.type() + ", not a " + type);
        String key = labels == null || labels.isEmpty() ? "" : "{" + labels + "}";
        if (f.series().putIfAbsent(key, value) != null) throw new IllegalArgumentException("duplicate series " + name + key);
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public String render() {
        List<Family> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(families.values());
        }
        StringBuilder b = new StringBuilder();
        for (Family f : snapshot) {
            b.append("# HELP ").append(f.name()).append(' ').append(f.help()).append('\n');
            b.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
            f.series().forEach((labels, v) -> b.append(f.name()).append(labels).append(' ').append(v.getAsLong()).append('\n'));
        }
        return b.toString();
    }
}
