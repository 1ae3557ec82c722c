package dev.hearth.agent;

import dev.hearth.pprof.ingest.LabelFormat;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Profile-level labels, sorted by key, in the ingest form of {@link LabelFormat}. Values are free
 * text, cleaned by its rule, so any process name can be sent without breaking the encoding.
 */
public final class LabelSet {
    public static final LabelSet EMPTY = new LabelSet(new TreeMap<>());

    private final TreeMap<String, String> labels;

    private LabelSet(TreeMap<String, String> labels) {
        this.labels = labels;
    }

    /** A copy with {@code key=value} added or replaced; a null or blank value removes the key. */
    public LabelSet with(String key, String value) {
        LabelFormat.checkKey(key);
        TreeMap<String, String> copy = new TreeMap<>(labels);
        if (value == null || value.isBlank()) copy.remove(key);
        else copy.put(key, LabelFormat.cleanValue(value));
        return new LabelSet(copy);
    }

    /** A copy with every pair of {@code other} added; {@code other} wins on equal keys. */
    public LabelSet withAll(LabelSet other) {
        TreeMap<String, String> copy = new TreeMap<>(labels);
        copy.putAll(other.labels);
        return new LabelSet(copy);
    }

    public String get(String key) {
        return labels.get(key);
    }

    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(labels);
    }

    /** The ingest form {@code k=v,k=v} (still to be URL-encoded as a query parameter). */
    public String encode() {
        return LabelFormat.encode(labels);
    }

    /** Parses {@link #encode()}'s form; empty text gives no labels. */
    public static LabelSet parse(String encoded) {
        LabelSet out = EMPTY;
        for (Map.Entry<String, String> e : LabelFormat.parse(encoded).entrySet()) {
            out = out.with(e.getKey(), e.getValue());
        }
        return out;
    }

    /** Adds one {@code key=value} pair, e.g. from a {@code --label} flag; a missing '=' or bad key is an error naming the pair. */
    public LabelSet withPair(String pair) {
        Map.Entry<String, String> p = LabelFormat.pair(pair);
        return with(p.getKey(), p.getValue());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSet l && labels.equals(l.labels);
    }

    @Override
    public int hashCode() {
        return labels.hashCode();
    }

    @Override
    public String toString() {
        return encode();
    }
}
