package dev.hearth.collector.query;

/** The little JSON writing the API needs: string escaping and numbers. */
public final class Json {
    private Json() {}

    public static StringBuilder string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"');
    }

    public static String quote(String s) {
        return string(new StringBuilder(), s).toString();
    }

    /** A finite number; integers without a fraction. */
    public static StringBuilder number(StringBuilder sb, double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("not a JSON number: " + v);
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return sb.append((long) v);
        return sb.append(v);
    }

    public static String error(String message) {
        return "{\"error\":" + quote(message) + "}";
    }
}
