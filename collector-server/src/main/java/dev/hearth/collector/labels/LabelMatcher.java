package dev.hearth.collector.labels;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;

/**
 * One label condition, as in Prometheus: {@code k=v}, {@code k!=v}, {@code k=~regex},
 * {@code k!~regex}. A regex must match the whole value; a missing label reads as the empty string.
 * Regexes come from any client, so they run on RE2/J: time linear in the value whatever the
 * pattern (no backtracking), with RE2's syntax as Prometheus and Pyroscope accept it.
 */
public record LabelMatcher(String key, Op op, String value, Pattern regex) {
    public enum Op {
        EQ("="),
        NE("!="),
        RE("=~"),
        NRE("!~");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    public static LabelMatcher of(String key, Op op, String value) {
        if (!Labels.isKey(key)) throw new IllegalArgumentException("bad label key '" + key + "'");
        Pattern regex = null;
        if (op == Op.RE || op == Op.NRE) {
            try {
                regex = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "bad regex for label '" + key + "': " + e.getDescription() + " in '" + value + "'");
            }
        }
        return new LabelMatcher(key, op, value, regex);
    }

    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(key, "");
        return switch (op) {
            case EQ -> actual.equals(value);
            case NE -> !actual.equals(value);
            case RE -> regex.matcher(actual).matches();
            case NRE -> !regex.matcher(actual).matches();
        };
    }

    @Override
    public String toString() {
        return key + op.symbol + value;
    }
}
