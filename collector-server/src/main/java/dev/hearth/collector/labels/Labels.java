package dev.hearth.collector.labels;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Profile-level labels in their wire and storage form {@code k=v,k=v}: keys are identifiers,
 * values any text without a comma. The encoded form is canonical (sorted by key), so equal label
 * sets always encode to equal strings.
 */
public final class Labels {
    static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    public static final int MAX_PAIRS = 64;
    private static final int MAX_LENGTH = 4096;

    private Labels() {}

    /** Parses {@code k=v,k=v}; null or blank gives no labels. Bad pairs are an error naming them. */
    public static SortedMap<String, String> parse(String encoded) {
        TreeMap<String, String> out = new TreeMap<>();
        if (encoded == null || encoded.isBlank()) return out;
        if (encoded.length() > MAX_LENGTH) throw new IllegalArgumentException("labels are longer than " + MAX_LENGTH + " characters");
        for (String pair : encoded.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("label must be key=value, got '" + pair + "'");
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (!KEY.matcher(key).matches()) throw new IllegalArgumentException("bad label key '" + key + "'");
            if (out.put(key, value) != null) throw new IllegalArgumentException("label '" + key + "' appears twice");
        }
        if (out.size() > MAX_PAIRS) throw new IllegalArgumentException("more than " + MAX_PAIRS + " labels");
        return Collections.unmodifiableSortedMap(out);
    }

    /** Whether {@code key} may name a label. */
    public static boolean isKey(String key) {
        return KEY.matcher(key).matches();
    }

    /** The canonical {@code k=v,k=v} form, keys sorted. */
    public static String encode(Map<String, String> labels) {
        StringJoiner j = new StringJoiner(",");
        new TreeMap<>(labels).forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }
}
