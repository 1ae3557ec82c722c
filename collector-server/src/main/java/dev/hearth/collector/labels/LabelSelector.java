package dev.hearth.collector.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A conjunction of label matchers, written {@code k=v,k!=v,k=~regex}. A comma separates matchers
 * only where a new {@code key op} follows it, so regexes may hold commas ({@code a{1,3}}).
 */
public record LabelSelector(List<LabelMatcher> matchers) {
    public static final LabelSelector ALL = new LabelSelector(List.of());
    private static final Pattern HEAD =
            Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*(=~|!~|!=|=)(.*)", Pattern.DOTALL);
    private static final Pattern SPLIT = Pattern.compile(",(?=\\s*[A-Za-z_][A-Za-z0-9_.]*\\s*(?:=|!=|!~))");

    /** Longest selector accepted: bounds the regexes compiled per request. */
    public static final int MAX_LENGTH = 4096;

    /** Parses a selector; null or blank selects everything. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) return ALL;
        if (text.length() > MAX_LENGTH)
            throw new IllegalArgumentException("selector is longer than " + MAX_LENGTH + " characters");
        List<LabelMatcher> out = new ArrayList<>();
        for (String part : SPLIT.split(text)) {
            Matcher m = HEAD.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "label matcher must be key=value, key!=value, key=~regex or key!~regex, got '" + part + "'");
            }
            LabelMatcher.Op op = switch (m.group(2)) {
                case "=" -> LabelMatcher.Op.EQ;
                case "!=" -> LabelMatcher.Op.NE;
                case "=~" -> LabelMatcher.Op.RE;
                default -> LabelMatcher.Op.NRE;
            };
            out.add(LabelMatcher.of(m.group(1), op, m.group(3).trim()));
        }
        return new LabelSelector(List.copyOf(out));
    }

    public boolean matches(Map<String, String> labels) {
        for (LabelMatcher m : matchers) {
            if (!m.matches(labels)) return false;
        }
        return true;
    }
}
