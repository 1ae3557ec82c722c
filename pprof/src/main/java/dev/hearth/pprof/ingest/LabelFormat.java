package dev.hearth.pprof.ingest;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Profile-level labels in their wire and storage form {@code k=v,k=v}: keys are identifiers,
 * values any text without a comma (the pair separator). The encoded form is canonical (sorted by
 * key), so equal label sets always encode to equal strings.
 */
public final class LabelFormat {
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    public static final int MAX_PAIRS = 64;
    public static final int MAX_LENGTH = 4096;

    private LabelFormat() {}

    /** Whether {@code key} may name a label. */
    public static boolean isKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** {@code key}, if it may name a label; else an error naming it. */
    public static String checkKey(String key) {
        if (!isKey(key)) throw new IllegalArgumentException("bad label key '" + key + "': keys match " + KEY.pattern());
        return key;
    }

    /** Any text as a value: commas and control characters become '_', outer blanks go. */
    public static String cleanValue(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (char c : value.strip().toCharArray()) b.append(c == ',' || Character.isISOControl(c) ? '_' : c);
        return b.toString();
    }

    /** One {@code key=value}, both trimmed; a missing '=' or a bad key is an error naming it. */
    public static Map.Entry<String, String> pair(String pair) {
        int eq = pair.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("label must be key=value, got '" + pair + "'");
        String key = checkKey(pair.substring(0, eq).trim());
        return new AbstractMap.SimpleImmutableEntry<>(
                key, pair.substring(eq + 1).trim());
    }

    /**
     * Parses {@code k=v,k=v}; null or blank gives no labels. Bad pairs, a key given twice, more than
     * {@value #MAX_PAIRS} pairs or {@value #MAX_LENGTH} characters are errors.
     */
    public static SortedMap<String, String> parse(String encoded) {
        TreeMap<String, String> out = new TreeMap<>();
        if (encoded == null || encoded.isBlank()) return out;
        if (encoded.length() > MAX_LENGTH)
            throw new IllegalArgumentException("labels are longer than " + MAX_LENGTH + " characters");
        for (String text : encoded.split(",")) {
            Map.Entry<String, String> p = pair(text);
            if (out.put(p.getKey(), p.getValue()) != null) {
                throw new IllegalArgumentException("label '" + p.getKey() + "' appears twice");
            }
        }
        if (out.size() > MAX_PAIRS) throw new IllegalArgumentException("more than " + MAX_PAIRS + " labels");
        return Collections.unmodifiableSortedMap(out);
    }

    /** The canonical {@code k=v,k=v} form, keys sorted. */
    public static String encode(Map<String, String> labels) {
        StringJoiner j = new StringJoiner(",");
        new TreeMap<>(labels).forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }
}
