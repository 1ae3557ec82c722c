package dev.hearth.agent;

import java.util.Collections;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Profile-level labels, sorted by key. Keys are identifiers; values are free text except that a
 * comma (the pair separator of the ingest {@code labels} parameter) and control characters are
 * replaced, so any process name can be sent without breaking the encoding.
 */
public final class LabelSet {
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    public static final LabelSet EMPTY = new LabelSet(new TreeMap<>());

    private final TreeMap<String, String> labels;

    private LabelSet(TreeMap<String, String> labels) {
        this.labels = labels;
    }

    /** A copy with {@code key=value} added or replaced; a null or blank value removes the key. */
    public LabelSet with(String key, String value) {
        checkKey(key);
        TreeMap<String, String> copy = new TreeMap<>(labels);
        if (value == null || value.isBlank()) copy.remove(key);
        else copy.put(key, clean(value));
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
        StringJoiner j = new StringJoiner(",");
        labels.forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    /** Parses {@link #encode()}'s form, e.g. from {@code --label} flags; empty text gives no labels. */
    public static LabelSet parse(String encoded) {
        LabelSet out = EMPTY;
        if (encoded == null || encoded.isBlank()) return out;
        for (String pair : encoded.split(",")) {
            out = out.withPair(pair);
        }
        return out;
    }

    /** Adds one {@code key=value} pair; a missing '=' or bad key is an error naming the pair. */
    public LabelSet withPair(String pair) {
        int eq = pair.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("label must be KEY=VALUE, got '" + pair + "'");
        return with(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("label key must match " + KEY.pattern() + ", got '" + key + "'");
        }
    }

    private static String clean(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (char c : value.strip().toCharArray()) b.append(c == ',' || Character.isISOControl(c) ? '_' : c);
        return b.toString();
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
