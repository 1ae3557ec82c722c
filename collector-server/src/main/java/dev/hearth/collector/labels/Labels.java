package dev.hearth.collector.labels;

import dev.hearth.pprof.ingest.LabelFormat;
import java.util.Map;
import java.util.SortedMap;

/** Profile-level labels in their wire and storage form, by the rules of {@link LabelFormat}. */
public final class Labels {
    public static final int MAX_PAIRS = LabelFormat.MAX_PAIRS;

    private Labels() {}

    /** Parses {@code k=v,k=v}; null or blank gives no labels. Bad pairs are an error naming them. */
    public static SortedMap<String, String> parse(String encoded) {
        return LabelFormat.parse(encoded);
    }

    /** Whether {@code key} may name a label. */
    public static boolean isKey(String key) {
        return LabelFormat.isKey(key);
    }

    /** The canonical {@code k=v,k=v} form, keys sorted. */
    public static String encode(Map<String, String> labels) {
        return LabelFormat.encode(labels);
    }
}
