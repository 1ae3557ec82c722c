package dev.hearth.pprof.flame;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A flame graph as one self-contained HTML file, like async-profiler's: the page (CSS and script
 * inline, nothing fetched) is the resource {@code flamegraph.html}; the tree goes into it as JSON
 * of nested arrays {@code [name, kind, self, total, [children…]]}, escaped so that no frame name
 * can end the script element or run as markup.
 */
public final class FlameGraphHtml {
    private static final String TEMPLATE = load();
    private static final String DATA = "/*FLAME_DATA*/";

    private FlameGraphHtml() {}

    public static String render(String title, String unit, FlameFrame root) {
        StringBuilder json = new StringBuilder(4096);
        json.append("{\"title\":");
        string(json, title).append(",\"unit\":");
        string(json, unit).append(",\"root\":");
        frame(json, root);
        json.append('}');
        int at = TEMPLATE.indexOf(DATA);
        return TEMPLATE.substring(0, at) + json + TEMPLATE.substring(at + DATA.length());
    }

    /** Depth first with an explicit stack of open child lists, not recursion: stacks may be deeper than the Java stack allows. */
    private static void frame(StringBuilder sb, FlameFrame root) {
        ArrayDeque<Iterator<FlameFrame>> open = new ArrayDeque<>();
        open(sb, root);
        open.push(root.children().iterator());
        while (!open.isEmpty()) {
            Iterator<FlameFrame> it = open.peek();
            if (it.hasNext()) {
                if (sb.charAt(sb.length() - 1) != '[') sb.append(',');
                FlameFrame c = it.next();
                open(sb, c);
                open.push(c.children().iterator());
            } else {
                open.pop();
                sb.append("]]");
            }
        }
    }

    private static void open(StringBuilder sb, FlameFrame f) {
        sb.append('[');
        string(sb, f.name()).append(',');
        string(sb, f.kind())
                .append(',')
                .append(f.self())
                .append(',')
                .append(f.total())
                .append(",[");
    }

    /** A JSON string in which {@code < > &} and line separators are escaped too: safe inside a script element. */
    static StringBuilder string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    private static String load() {
        try (InputStream in = FlameGraphHtml.class.getResourceAsStream("flamegraph.html")) {
            if (in == null) throw new IllegalStateException("flamegraph.html is missing from the pprof jar");
            String t = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!t.contains(DATA)) throw new IllegalStateException("flamegraph.html has no " + DATA + " marker");
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
