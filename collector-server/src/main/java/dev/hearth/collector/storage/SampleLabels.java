package dev.hearth.collector.storage;

import java.util.Map;
import java.util.TreeMap;

/**
 * Sample labels (e.g. thread names) as stored with a stack. Their values are free text — a thread
 * name may hold commas or '=' — so pairs are separated by ASCII unit and record separators.
 */
final class SampleLabels {
    private static final char UNIT = '\u001f', RECORD = '\u001e';

    private SampleLabels() {}

    static String encode(Map<String, String> labels) {
        if (labels.isEmpty()) return "";
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(labels).forEach((k, v) -> {
            if (sb.length() > 0) sb.append(RECORD);
            sb.append(clean(k)).append(UNIT).append(clean(v));
        });
        return sb.toString();
    }

    static Map<String, String> decode(String encoded) {
        if (encoded.isEmpty()) return Map.of();
        Map<String, String> out = new TreeMap<>();
        for (String pair : encoded.split(String.valueOf(RECORD))) {
            int sep = pair.indexOf(UNIT);
            out.put(pair.substring(0, sep), pair.substring(sep + 1));
        }
        return out;
    }

    private static String clean(String s) {
        return s.replace(UNIT, ' ').replace(RECORD, ' ');
    }
}
